import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Locale } from "@/i18n/locales";

/**
 * The translations of one language: `messages/<locale>/<namespace>.json`, one file per namespace (the file's
 * name is the namespace: `messages/es/nav.json` holds what `useTranslations("nav")` reads). One file per area
 * keeps translators and changes apart; src/i18n/messages.test.ts proves the three languages hold the same keys.
 */
export type Messages = Record<string, Record<string, unknown>>;

const messagesRoot = () => join(process.cwd(), "messages");
const cache = new Map<Locale, Messages>();

export function readMessages(locale: Locale, root = messagesRoot()): Messages {
  const messages: Messages = {};
  const dir = join(root, locale);
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(".json")) continue;
    messages[file.slice(0, -".json".length)] = JSON.parse(readFileSync(join(dir, file), "utf8")) as Record<string, unknown>;
  }
  return messages;
}

/** Read once per process in production; on every request in development, so an edited file shows at once. */
export function loadMessages(locale: Locale): Messages {
  if (process.env.NODE_ENV !== "production") return readMessages(locale);
  let messages = cache.get(locale);
  if (!messages) {
    messages = readMessages(locale);
    cache.set(locale, messages);
  }
  return messages;
}
