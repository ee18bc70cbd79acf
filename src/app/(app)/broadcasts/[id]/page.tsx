import { BroadcastDetail } from "@/components/broadcasts/broadcast-detail";

export const metadata = { title: "Broadcast" };

export default async function BroadcastPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <BroadcastDetail broadcastId={id} />;
}
