-- What an alert mentions (names, figures, thresholds, dates) as data, so the UI words it in the reader's language
-- from its kind; title and message stay as the English text for the REST and metrics consumers.
ALTER TABLE "alerts" ADD COLUMN "params" JSONB;
