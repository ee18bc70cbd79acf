import type { Config } from "tailwindcss";

// Tailwind 4 reads this through `@config` in src/app/globals.css. System fonts only: fonts cannot be
// downloaded at build time on every machine (offline builds fail), and system fonts load instantly anyway.
export default {
  content: ["./src/**/*.{ts,tsx}"],
  theme: {
    extend: {
      fontFamily: {
        sans: ["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
        mono: ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
      },
      colors: {
        // 600 is the buttons' green: white on it is 5.4:1 (WCAG AA asks 4.5:1 for text; #0f8a4f was 4.4:1)
        brand: {
          50: "#f0fdf6",
          100: "#dcfce9",
          500: "#16a35f",
          600: "#0b7a45",
          700: "#0a6139",
          800: "#0a4f30",
          900: "#0b3d26",
        },
      },
    },
  },
} satisfies Config;
