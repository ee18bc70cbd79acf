-- GDPR erasure: an erased contact keeps its row (and its consent records, as proof) without personal data.
ALTER TABLE "contacts" ADD COLUMN "erasedAt" TIMESTAMP(3);
