// Usage: node validate.mjs rendered.json — a JSON array of Kubernetes objects (kustomize output, converted).
// Each object is validated with the schema of its apiVersion/kind, as generated from the Kubernetes OpenAPI
// specification (and the Prometheus Operator CRDs) by the kubernetes-models packages. Exit 1 names every error.
import { readFileSync } from "node:fs";

const groups = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "policy/v1": "kubernetes-models/policy/v1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};

const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
let errors = 0;
for (const o of objects) {
  const name = `${o.apiVersion} ${o.kind} ${o.metadata?.name}`;
  const module = groups[o.apiVersion];
  const Model = module && (await import(module))[o.kind];
  if (!Model) {
    console.log(`ERROR ${name}: no schema for this apiVersion/kind`);
    errors++;
    continue;
  }
  try {
    new Model(o).validate();
    console.log(`ok    ${name}`);
  } catch (e) {
    console.log(`ERROR ${name}: ${e.message}`);
    errors++;
  }
}
console.log(`${objects.length - errors} valid, ${errors} invalid`);
process.exit(errors === 0 ? 0 : 1);
