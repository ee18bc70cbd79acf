import type { Role } from "@/generated/prisma/enums";

declare module "next-auth" {
  interface User {
    role: Role;
    tenantId: string | null;
    sessionVersion: number;
  }
  interface Session {
    user: { id: string; email: string; name: string; role: Role; tenantId: string | null; sessionVersion: number };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
    tenantId?: string | null;
    sessionVersion?: number;
  }
}
