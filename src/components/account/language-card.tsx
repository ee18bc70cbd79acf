import { useTranslations } from "next-intl";
import { LanguageMenu } from "@/components/account/language-menu";
import { Card } from "@/components/ui/card";

/** Settings → Language: the signed-in user's interface language (stored on the user, applied at once). */
export function LanguageCard() {
  const t = useTranslations("account.language");
  return (
    <Card title={t("title")} description={t("description")}>
      <LanguageMenu signedIn />
    </Card>
  );
}
