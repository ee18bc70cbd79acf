import { expect, type Page } from "@playwright/test";

// The demo logins of prisma/seed.ts (also printed in the README).
export const demo = {
  password: "recado-demo",
  admin: "admin@recado.demo",
  owner: { email: "ana@sanjuan.demo", bakery: "Panadería San Juan" },
  // never given a number by any spec: its pages show the "no number yet" state
  otherOwner: { email: "jordi@santpere.demo", bakery: "Forn de Sant Pere" },
};

/**
 * Fills and submits the sign-in form; does not wait for the outcome (see signIn). By the fields' types, so it
 * works whatever language the page speaks (specs run in en-US by default, some in es-ES).
 */
export async function submitSignIn(page: Page, email: string, password = demo.password) {
  await page.goto("/signin");
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
}

/** Signs in and waits until the app has left the sign-in page (the session cookie is set). */
export async function signIn(page: Page, email: string, password = demo.password) {
  await submitSignIn(page, email, password);
  await expect(page).not.toHaveURL(/\/signin/);
}

/** Saves a full-page screenshot under e2e/screenshots/ (git-ignored) to be looked at. */
export async function snapshot(page: Page, name: string) {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}

export async function expectPath(page: Page, path: string) {
  await expect(page).toHaveURL(new RegExp(`^[^?]*${path.replace(/[/?]/g, "\\$&")}(\\?.*)?$`));
}

/**
 * Drives the app's background jobs (inline jobs, local mode): `hold` stops the ticker and returns once what it
 * was running has ended, `release` starts it again, `settle` runs every waiting job now and returns once none is
 * waiting or running. A spec holds the jobs while it reads a state they would change (a registration retry
 * registering the number), instead of hoping to read the page before the ticker's next round.
 */
export async function backgroundJobs(action: "hold" | "release" | "settle") {
  const res = await fetch(`http://localhost:${Number(process.env.E2E_PORT ?? 3100)}/api/local/jobs`, {
    method: "POST",
    headers: { authorization: "Bearer local-admin-api-token-0123456789", "content-type": "application/json" },
    body: JSON.stringify({ action }),
  });
  const body = (await res.json()) as { settled?: boolean; held?: boolean; relaysRunning?: number };
  expect(res.status, JSON.stringify(body)).toBe(200);
  if (action === "settle") expect(body.settled).toBe(true);
  if (action === "hold") expect(body.relaysRunning).toBe(0);
}
