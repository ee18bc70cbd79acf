-- AlterTable
ALTER TABLE "phone_numbers" ADD COLUMN     "codeVerificationStatus" TEXT,
ADD COLUMN     "healthStatus" TEXT,
ADD COLUMN     "nameStatus" TEXT,
ADD COLUMN     "platformType" TEXT,
ADD COLUMN     "throughputLevel" TEXT;

-- CreateIndex
CREATE INDEX "tenants_name_idx" ON "tenants"("name");
