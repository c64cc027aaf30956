// Reads the AWS provider's schema out of the npm package @cdktf/provider-aws, which HashiCorp generates from the
// provider's published schema: lib/<type>/index.d.ts declares each argument and nested block (a `?` marks it
// optional; its doc comment carries the Terraform name and says "... block" for blocks), and lib/<type>/index.js
// declares the resource's Terraform type and every attribute it can be read for (arguments and computed ones).
// Usage: node provider-schema.mjs <install dir> resource:aws_x data:aws_y ...
// Prints {"resource": {"aws_x": schema | null}, "data": {...}, "provider": "<version>"}; null = no such type.
// schema = {"arguments": {name: {"required": bool}}, "blocks": {name: {"required": bool, "schema": schema}}, "readable": [names]}
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [installDir, ...wanted] = process.argv.slice(2);
if (!installDir || wanted.length === 0) {
  console.error("usage: node provider-schema.mjs <install dir> resource:aws_x|data:aws_y ...");
  process.exit(2);
}

const packageDir = join(installDir, "node_modules", "@cdktf", "provider-aws");
const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));

// One `readonly name?: Type;` with the doc comment in front of it.
const propertyPattern = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*readonly (\w+)(\??): ([^;]+);/g;
const interfacePattern = /export interface (\w+)(?: extends [\w.]+)? \{([\s\S]*?)\n\}/g;

function interfaces(declarations) {
  const byName = new Map();
  for (const [, name, body] of declarations.matchAll(interfacePattern)) {
    const properties = [];
    for (const [, doc, , optional, type] of body.matchAll(propertyPattern)) {
      const terraformName = /#(\w+) \w+#\w+\}/.exec(doc)?.[1];
      if (!terraformName) continue;
      properties.push({
        name: terraformName,
        required: optional !== "?",
        isBlock: new RegExp(`^\\s*\\*?\\s*${terraformName} block\\s*$`, "m").test(doc),
        type: type.replace(/\s*\|\s*cdktf\.IResolvable/, "").replace(/\[\]$/, "").trim(),
      });
    }
    byName.set(name, properties);
  }
  return byName;
}

function schemaOf(interfaceName, byName, seen = new Set()) {
  const schema = { arguments: {}, blocks: {} };
  if (seen.has(interfaceName)) return schema;
  for (const property of byName.get(interfaceName) ?? []) {
    if (property.isBlock) {
      schema.blocks[property.name] = { required: property.required, schema: schemaOf(property.type, byName, new Set([...seen, interfaceName])) };
    } else {
      schema.arguments[property.name] = { required: property.required };
    }
  }
  return schema;
}

function load(kind, type) {
  // aws_lambda_function -> lib/lambda-function; data aws_iam_policy_document -> lib/data-aws-iam-policy-document
  const folder = (kind === "data" ? type : type.replace(/^aws_/, "")).replaceAll("_", "-");
  const directory = join(packageDir, "lib", kind === "data" ? `data-${folder}` : folder);
  if (!existsSync(join(directory, "index.js"))) return null;

  const code = readFileSync(join(directory, "index.js"), "utf8");
  const base = kind === "data" ? "TerraformDataSource" : "TerraformResource";
  const classStart = code.search(new RegExp(`class \\w+ extends cdktf\\.${base} \\{`));
  const declared = /\.tfResourceType = "(\w+)";/.exec(code)?.[1];
  if (classStart < 0 || declared !== type) return null;

  const declarations = readFileSync(join(directory, "index.d.ts"), "utf8");
  const configName = new RegExp(`export declare class (\\w+) extends cdktf\\.${base}`).exec(declarations)[1] + "Config";
  const schema = schemaOf(configName, interfaces(declarations));

  const classCode = code.slice(classStart);
  const readable = new Set([...Object.keys(schema.arguments), ...Object.keys(schema.blocks)]);
  for (const [, name] of classCode.matchAll(/(?:Attribute|interpolationForAttribute)\('(\w+)'\)/g)) readable.add(name);
  for (const [, name] of classCode.matchAll(/(?:OutputReference|List|Map)\(this, "(\w+)"/g)) readable.add(name);
  schema.readable = [...readable].sort();
  return schema;
}

const result = { provider: manifest.cdktf?.provider?.version ?? null, resource: {}, data: {} };
for (const item of wanted) {
  const [kind, type] = item.split(":");
  result[kind][type] = load(kind, type);
}
process.stdout.write(JSON.stringify(result));
