-- Alert thresholds of the delivery metrics an admin changed; a metric without a row uses the default in
-- src/server/monitoring/thresholds.ts.
CREATE TABLE "metric_thresholds" (
    "metric" TEXT NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "minSample" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedById" TEXT,

    CONSTRAINT "metric_thresholds_pkey" PRIMARY KEY ("metric")
);
