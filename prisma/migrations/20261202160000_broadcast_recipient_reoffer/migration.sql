-- A recipient left unknown after a crash is offered to Meta once more when no status webhook linked it
ALTER TABLE "broadcast_recipients" ADD COLUMN "reofferedAt" TIMESTAMP(3);
