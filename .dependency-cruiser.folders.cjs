// Folders of src/server in layers: two folders that import each other — even through different files, with no
// file-level cycle — are one domain in two places. Run with `npm run lint:boundaries` after the file-level rules
// of .dependency-cruiser.cjs; scripts/boundaries/boundaries.test.ts proves it rejects such a pair.
// Test files and src/test are left out: a test may compose the layers above the code it tests.
const { options } = require("./.dependency-cruiser.cjs");

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-folder-cycle-in-server",
      severity: "error",
      comment: "Two folders of src/server import each other: layer them (shared pieces go to the lower one), or merge them.",
      scope: "folder",
      from: { path: "^src/server/" },
      to: { path: "^src/server/", circular: true },
    },
  ],
  options: { ...options, exclude: { path: ["^src/generated/", "\\.test\\.tsx?$", "^src/test/"] } },
};
