// Parses Terraform files to JSON with @cdktf/hcl2json (HashiCorp's HCL parser compiled to wasm), because
// provider plugins cannot be downloaded here and `terraform validate` is impossible.
// Usage: node hcl2json.mjs <hcl2json install dir> <.tf file or folder>...
// Prints {"files": {"<name>": <parsed>}} on stdout; exit 1 with "file: message" lines on stderr when any file fails.
import { createRequire } from "node:module";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";

const [libDir, ...inputs] = process.argv.slice(2);
if (!libDir || inputs.length === 0) {
  console.error("usage: node hcl2json.mjs <hcl2json install dir> <.tf file or folder>...");
  process.exit(2);
}

const { parse } = createRequire(join(libDir, "package.json"))("@cdktf/hcl2json");

const files = inputs.flatMap((input) =>
  statSync(input).isDirectory()
    ? readdirSync(input).filter((f) => f.endsWith(".tf")).sort().map((f) => join(input, f))
    : [input]);

const parsed = {};
const errors = [];
for (const file of files) {
  try {
    parsed[basename(file)] = await parse(basename(file), readFileSync(file, "utf8"));
  } catch (e) {
    errors.push(`${file}: ${String(e?.message ?? e).trim()}`);
  }
}

if (errors.length > 0) {
  console.error(errors.join("\n"));
  process.exit(1);
}
process.stdout.write(JSON.stringify({ files: parsed }));
