"use client";

import { DeliveryRateCharts } from "@/components/charts/delivery-rate-charts";
import { api } from "@/trpc/react";

/** The owner's bakery: 30 days of its rates against the thresholds (the bakery comes from the session). */
export function BakeryRateCharts() {
  const rates = api.bakery.deliveryRates.useQuery();
  return <DeliveryRateCharts data={rates.data} error={rates.error} />;
}
