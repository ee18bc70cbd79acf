"use client";

import { useState } from "react";
import { NavLink } from "@/components/layout/nav-link";

export type ShellNavItem = { href: string; label: string; exact?: boolean };

/**
 * The app's header. From 640 px up: brand, actions and account on one row, the navigation below. Narrower (a
 * phone): brand, actions and a menu button; the navigation and the account open under it. One element each,
 * placed by flex order, so nothing is rendered twice.
 */
export function ShellHeader({
  brand,
  actions,
  account,
  items,
  labels,
}: {
  brand: React.ReactNode;
  actions?: React.ReactNode;
  account: React.ReactNode;
  items: ShellNavItem[];
  labels: { nav: string; openMenu: string; closeMenu: string };
}) {
  const [open, setOpen] = useState(false);
  // a link chosen in the opened menu closes it
  const closeOnLink = (event: React.MouseEvent) => {
    if ((event.target as HTMLElement).closest("a")) setOpen(false);
  };
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-2 px-4 py-2 sm:px-6 sm:py-3">
        <div className="order-1 flex min-w-0 flex-1 items-center gap-3">{brand}</div>
        {actions && <div className="order-2 flex items-center">{actions}</div>}
        <button
          type="button"
          className="order-3 inline-flex min-h-11 min-w-11 items-center justify-center gap-2 rounded-md border border-stone-300 px-3 text-sm font-medium text-stone-800 sm:hidden"
          aria-expanded={open}
          aria-controls="main-navigation"
          onClick={() => setOpen((value) => !value)}
          data-testid="menu-button"
        >
          <span aria-hidden className="text-base leading-none">
            {open ? "✕" : "☰"}
          </span>
          <span>{open ? labels.closeMenu : labels.openMenu}</span>
        </button>
        <div
          className={`${open ? "flex" : "hidden"} order-5 w-full flex-wrap items-center justify-between gap-3 border-t border-stone-100 pt-3 pb-1 sm:order-3 sm:flex sm:w-auto sm:flex-nowrap sm:border-0 sm:p-0`}
          data-testid="account"
        >
          {account}
        </div>
        <nav
          id="main-navigation"
          aria-label={labels.nav}
          onClick={closeOnLink}
          className={`${open ? "flex" : "hidden"} order-4 w-full flex-col gap-1 sm:-mx-2 sm:flex sm:flex-row sm:flex-wrap`}
        >
          {items.map((item) => (
            <NavLink key={item.href} href={item.href} exact={item.exact}>
              {item.label}
            </NavLink>
          ))}
        </nav>
      </div>
    </header>
  );
}
