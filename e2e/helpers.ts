import { expect, type Page } from "@playwright/test";

// The demo logins of prisma/seed.ts (also printed in the README).
export const demo = {
  password: "recado-demo",
  admin: "admin@recado.demo",
  owner: { email: "ana@sanjuan.demo", bakery: "Panadería San Juan" },
  // never given a number by any spec: its pages show the "no number yet" state
  otherOwner: { email: "jordi@santpere.demo", bakery: "Forn de Sant Pere" },
};

/** Fills and submits the sign-in form; does not wait for the outcome (see signIn). */
export async function submitSignIn(page: Page, email: string, password = demo.password) {
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
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
