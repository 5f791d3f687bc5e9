// Copies the front-end files the app serves into tinhgon/static/vendor/ (committed, so that neither CI nor the
// running app needs Node or a CDN). Re-run after changing package.json: npm ci && node vendor.mjs
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const out = "../tinhgon/static/vendor";
const files = {
  "@tabler/core": ["dist/css/tabler.min.css", "dist/css/tabler.min.css.map", "dist/js/tabler.min.js",
                   "dist/js/tabler.min.js.map", "README.md"],
  "echarts": ["dist/echarts.min.js", "LICENSE"],
};
rmSync(out, { recursive: true, force: true });
const manifest = {};
for (const [pkg, paths] of Object.entries(files)) {
  const root = join("node_modules", pkg);
  const version = JSON.parse(readFileSync(join(root, "package.json"))).version;
  manifest[pkg] = { version, files: paths };
  for (const path of paths) {
    const target = join(out, pkg.replace("@", "").replace("/", "-"), path.replace(/^dist\//, ""));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(root, path), target);
  }
}
writeFileSync(join(out, "vendor-manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log("vendored", Object.keys(manifest).join(", "));
