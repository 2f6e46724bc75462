// Validates Kubernetes objects against the Kubernetes OpenAPI schemas, offline: kubernetes-models ships one
// validator per kind, generated from the OpenAPI spec of its Kubernetes release (required fields, types, enums,
// formats). Input: a JSON array of objects (the rendered manifests). Output: one line per object, "ok <kind>/<name>"
// or "invalid <kind>/<name>: <errors>", then "validated N objects, M invalid"; exit code 1 if any is invalid or its
// kind is unknown. Unknown fields are not rejected by these validators: ManifestSchemaTest checks those with
// fabric8's typed model.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
let invalid = 0;
for (const o of objects) {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : [null, o.apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}/${o.kind}` : `kubernetes-models/${version}/${o.kind}`;
  const label = `${o.kind}/${o.metadata?.name}`;
  let Model;
  try {
    Model = require(path)[o.kind];
  } catch (e) {
    console.log(`invalid ${label}: no schema for ${o.apiVersion} ${o.kind} (${e.code ?? e.message})`);
    invalid++;
    continue;
  }
  try {
    new Model(o).validate();
    console.log(`ok ${label}`);
  } catch (e) {
    console.log(`invalid ${label}: ${e.message}`);
    invalid++;
  }
}
console.log(`validated ${objects.length} objects, ${invalid} invalid`);
process.exit(invalid === 0 && objects.length > 0 ? 0 : 1);
