-- The interface language each user chose (es, ca, en); null until they choose (src/i18n/locales.ts resolves it).
ALTER TABLE "users" ADD COLUMN "locale" TEXT;
ALTER TABLE "users" ADD CONSTRAINT "users_locale_check" CHECK ("locale" IS NULL OR "locale" IN ('es', 'ca', 'en'));
