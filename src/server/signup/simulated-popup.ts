/**
 * Local stand-in for Meta's Embedded Signup popup. In production the browser's Facebook Login popup hands the
 * page a 30-second code; against the bundled simulator there is no popup, so something local mints that code
 * instead. Signup only knows this shape: the wiring hands one in (src/server/wiring), in local mode only.
 */
import { AppError } from "@/server/errors";

export type SignupGrant = { code: string; wabaId: string; phoneNumberId?: string };

export type SimulatedSignupPopup = {
  /** whether the Graph API Recado talks to really is the simulator (checked per call: config can change) */
  isAvailable: () => Promise<boolean>;
  mintCode: () => Promise<SignupGrant>;
};

export async function simulatedPopupAvailable(popup: SimulatedSignupPopup | null | undefined): Promise<boolean> {
  return popup ? popup.isAvailable() : false;
}

export async function simulatedSignupCode(popup: SimulatedSignupPopup | null | undefined): Promise<SignupGrant> {
  if (!popup || !(await popup.isAvailable())) {
    throw new AppError("NOT_FOUND", "The simulated sign-up is only available when Recado talks to the Meta simulator.");
  }
  return popup.mintCode();
}
