#!/usr/bin/env node
// tests/k8s/validate.mjs: renders k8s/base and every k8s/overlays/* with `kubectl kustomize`, then,
// offline, checks every object
//   1. against the Kubernetes API schema (kubernetes-models: Kubernetes 1.27 types, required
//      fields, enums and formats such as quantities; it does not reject unknown field names), the
//      CloudNativePG Cluster against @kubernetes-models/cloudnative-pg, and the redis-operator's
//      kinds against the hand-written schemas/redis.redis.opstreelabs.in_v1beta2.json (which does);
//      a kind with no schema fails;
//   2. against what Herald needs, read from the C++ sources at run time where Herald defines it
//      (services/core/config/config.{hpp,cpp}, services/herald/main.cpp, services/core/app/
//      process.cpp, the Dockerfile): see the checks below (invariants()).
// Any failure is printed with the render and object it is in, and the exit status is 1. No
// kubectl on PATH is a failure too (scripts/lib/deps.sh installs Debian's kubernetes-client).
//
// Usage: node validate.mjs [--k8s DIR]      (default: the repository's k8s/)
// Environment: KUBECTL=path (default: kubectl on PATH); KUBECTL_COMPARE=path of a second kubectl
// (e.g. Debian 12's 1.20, kustomize v2.0.3): every render must give the same objects with both.
// Run by ctest (K8s.OverlaysRenderAndValidate, tests/k8s/CMakeLists.txt).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import Ajv from "ajv";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..", "..");

// --- Command line --------------------------------------------------------------------------------
let k8sDir = path.join(ROOT, "k8s");
for (let i = 2; i < process.argv.length; ++i) {
  if (process.argv[i] === "--k8s" && i + 1 < process.argv.length) k8sDir = path.resolve(process.argv[++i]);
  else {
    console.error(`usage: node validate.mjs [--k8s DIR]`);
    process.exit(2);
  }
}

const failures = [];
const fail = (where, message) => failures.push(`${where}: ${message}`);
function die(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

// --- What Herald defines, read from its sources ------------------------------------------------------
function source(rel) {
  const file = path.join(ROOT, rel);
  if (!fs.existsSync(file)) die(`${rel} is missing (validate.mjs reads Herald's definitions from it)`);
  return fs.readFileSync(file, "utf8");
}
function mustMatch(text, re, what, rel) {
  const m = text.match(re);
  if (!m) die(`cannot find ${what} in ${rel}: validate.mjs's reader of it needs updating`);
  return m;
}
const herald = (() => {
  const hpp = source("services/core/config/config.hpp");
  const cpp = source("services/core/config/config.cpp");
  const main = source("services/herald/main.cpp");
  const processCpp = source("services/core/app/process.cpp");
  const dockerfile = source("Dockerfile");

  const modulesText = mustMatch(hpp, /kBackgroundModules\s*=\s*\{([^}]*)\}/, "kBackgroundModules", "config.hpp")[1];
  const modules = [...modulesText.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
  if (modules.length === 0) die("kBackgroundModules in config.hpp lists no module");

  // keys(): {"section", "name", secret, setter}
  const keys = [...cpp.matchAll(/\{"([a-z_]+)",\s*"([a-z_]+)",\s*(true|false),/g)].map((m) => ({
    section: m[1],
    name: m[2],
    secret: m[3] === "true",
    env: `HERALD_${m[1].toUpperCase()}_${m[2].toUpperCase()}`,
  }));
  if (!keys.some((k) => k.env === "HERALD_HTTP_DRAIN_TIMEOUT_MS")) {
    die("config.cpp's keys() were not found (no http.drain_timeout_ms): validate.mjs's reader needs updating");
  }
  const drainMs = Number(mustMatch(hpp, /drain_timeout\{(\d+)\}/, "the default drain_timeout", "config.hpp")[1]);
  const pgPool = Number(
    mustMatch(hpp, /struct PgConfig \{[\s\S]*?int pool_size = (\d+);/, "PgConfig's default pool_size", "config.hpp")[1],
  );
  // usage: herald [migrate | rotate-keys]
  const usage = mustMatch(main, /usage: herald \[([^\]]*)\]/, "herald's usage line", "services/herald/main.cpp")[1];
  const subcommands = usage.split("|").map((s) => s.trim()).filter(Boolean);
  const routes = ["/healthz", "/readyz"].filter((r) => processCpp.includes(`"${r}"`));
  // COPY --from=build /out/herald /out/herald-gateway ... /usr/local/bin/
  const binaries = [...dockerfile.matchAll(/\/out\/(herald[a-z-]*)/g)].map((m) => m[1]);
  if (binaries.length === 0) die("the Dockerfile copies no /out/herald* binary into the image");
  return { modules, keys, drainMs, pgPool, subcommands, routes, binaries: [...new Set(binaries)] };
})();

// The rule of services/core/config/config.cpp's apply_env(): a HERALD_ variable whose name starts
// with a known section must name a known key of it, or the process refuses to start.
function configKeyProblem(name) {
  if (!name.startsWith("HERALD_")) return null;
  const rest = name.slice("HERALD_".length);
  let section = "";
  for (const k of herald.keys) {
    const prefix = `${k.section.toUpperCase()}_`;
    if (rest.startsWith(prefix) && k.section.length > section.length) section = k.section;
  }
  if (!section) return null; // not configuration (HERALD_CONFIG, ...)
  if (herald.keys.some((k) => k.env === name)) return null;
  return `${name} is not a configuration key (section '${section}' has no '${rest.slice(section.length + 1).toLowerCase()}'): herald would refuse to start`;
}

// HERALD_PROCESS_RUN: "all", "none", or a comma list of kBackgroundModules, each named once.
function processRunProblem(value) {
  if (value === "all" || value === "none") return null;
  const names = value.split(",");
  const seen = new Set();
  for (const n of names) {
    if (!herald.modules.includes(n)) {
      return `HERALD_PROCESS_RUN '${value}': '${n}' is not a module (all, none, or a comma list of ${herald.modules.join(", ")})`;
    }
    if (seen.has(n)) return `HERALD_PROCESS_RUN '${value}': '${n}' is named twice`;
    seen.add(n);
  }
  return null;
}
function modulesOf(value) {
  if (value === undefined || value === "all") return [...herald.modules];
  if (value === "none") return [];
  return value.split(",");
}

// --- kubectl -----------------------------------------------------------------------------------------
function findOnPath(name) {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  return null;
}
function kubectlAt(p, label) {
  const r = spawnSync(p, ["version", "--client"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    die(`${label} '${p}' does not run (${r.error?.message ?? (r.stderr || "").trim()})`);
  }
  const version = (r.stdout.match(/GitVersion:"(v[^"]+)"/) ?? r.stdout.match(/Client Version: (v\S+)/) ?? [])[1];
  return { path: p, version: version ?? "unknown version" };
}
const kubectls = [];
{
  const main = process.env.KUBECTL || findOnPath("kubectl");
  if (!main) {
    die(
      "kubectl not found on PATH: the manifest test needs it to render k8s/ (scripts/lib/deps.sh installs " +
        "Debian's kubernetes-client when it is missing; or set KUBECTL=/path/to/kubectl)",
    );
  }
  kubectls.push(kubectlAt(main, "KUBECTL"));
  if (process.env.KUBECTL_COMPARE) kubectls.push(kubectlAt(process.env.KUBECTL_COMPARE, "KUBECTL_COMPARE"));
}

function render(kubectl, dir) {
  const r = spawnSync(kubectl.path, ["kustomize", dir], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) {
    // kustomize v5's deprecation warnings ("# Warning: ...") are not the reason: leave them out.
    const reason = (r.stderr || r.error?.message || "").split("\n").filter((l) => l.trim() && !l.startsWith("# Warning:"));
    return { error: `kubectl kustomize failed (exit ${r.status}): ${reason.join(" / ")}` };
  }
  const docs = YAML.parseAllDocuments(r.stdout);
  const objects = [];
  for (const d of docs) {
    if (d.errors.length > 0) return { error: `the rendered YAML does not parse: ${d.errors[0].message}` };
    const o = d.toJS();
    if (o !== null && o !== undefined) objects.push(o);
  }
  return { objects, text: r.stdout };
}

// Secret data may come back wrapped over several lines (kustomize v5 folds long base64 values,
// v2 does not); the API server's base64 decoder skips the newlines, so they are the same value.
function normalized(objects) {
  return objects.map((o) => {
    if (o.kind !== "Secret" || !o.data) return o;
    const data = {};
    for (const [k, v] of Object.entries(o.data)) data[k] = String(v).replace(/\s+/g, "");
    return { ...o, data };
  });
}
function stable(value) {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, stable(value[k])]));
  }
  return value;
}

// --- Schemas -----------------------------------------------------------------------------------------
const ajv = new Ajv({ allErrors: true, strict: false });
const handWritten = JSON.parse(fs.readFileSync(path.join(HERE, "schemas", "redis.redis.opstreelabs.in_v1beta2.json"), "utf8"));
const handWrittenValidators = {};
for (const kind of ["RedisReplication", "RedisSentinel"]) {
  handWrittenValidators[kind] = ajv.compile({ $defs: handWritten.$defs, ...handWritten[kind] });
}
const modelCache = new Map();
async function modelFor(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (modelCache.has(key)) return modelCache.get(key);
  let model = null;
  const spec = apiVersion === "postgresql.cnpg.io/v1"
    ? "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1"
    : `kubernetes-models/${apiVersion}`;
  try {
    const mod = await import(spec);
    model = mod[kind] ?? null;
  } catch {
    model = null;
  }
  modelCache.set(key, model);
  return model;
}
async function schemaCheck(where, o) {
  if (typeof o.apiVersion !== "string" || typeof o.kind !== "string") {
    fail(where, "an object without apiVersion or kind");
    return;
  }
  if (o.apiVersion === "redis.redis.opstreelabs.in/v1beta2" && handWrittenValidators[o.kind]) {
    const validate = handWrittenValidators[o.kind];
    if (!validate(o)) {
      for (const e of validate.errors) {
        fail(where, `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` ('${e.params.additionalProperty}')` : ""} (schemas/redis.redis.opstreelabs.in_v1beta2.json)`);
      }
    }
    return;
  }
  const Model = await modelFor(o.apiVersion, o.kind);
  if (!Model) {
    fail(where, `no schema for ${o.apiVersion} ${o.kind} (not a Kubernetes 1.27 kind, CloudNativePG or a kind in schemas/)`);
    return;
  }
  try {
    new Model(o).validate();
  } catch (e) {
    fail(where, `does not match the ${o.apiVersion} ${o.kind} schema: ${e.message}`);
  }
}

// --- Herald's invariants -----------------------------------------------------------------------------
function selects(selector, labels) {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    if (e.operator === "In" && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === "NotIn" && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}
const id = (o) => `${o.kind}/${o.metadata?.name}`;
const seconds = (ms) => ms / 1000;

function invariants(target, objects, k8sReadme) {
  const by = (kind) => objects.filter((o) => o.kind === kind);
  const deployments = by("Deployment");
  const jobs = by("Job");
  const configMaps = new Map(by("ConfigMap").map((c) => [c.metadata.name, c]));
  const hpas = by("HorizontalPodAutoscaler");
  const w = (o) => `[${target}] ${id(o)}`;

  if (deployments.length === 0) fail(`[${target}]`, "no Deployment rendered");

  // Every Herald workload: Deployments and Jobs running the image's binaries.
  const workloads = [...deployments, ...jobs].filter((o) =>
    (o.spec?.template?.spec?.containers ?? []).some((c) => herald.binaries.includes((c.command ?? [])[0])),
  );
  const coveredModules = new Set();
  const referencedSecrets = new Set();

  for (const o of workloads) {
    const where = w(o);
    const pod = o.spec.template.spec;
    const isDeployment = o.kind === "Deployment";
    // Service links would put <SERVICE>_SERVICE_HOST variables into the environment; a Service named
    // herald-redis-master becomes HERALD_REDIS_MASTER_SERVICE_HOST, an unknown key of section redis.
    if (pod.enableServiceLinks !== false) {
      fail(where, "enableServiceLinks must be false (Kubernetes' service variables such as HERALD_REDIS_MASTER_SERVICE_HOST are unknown configuration keys to Herald, which then refuses to start)");
    }
    const podSec = pod.securityContext ?? {};
    for (const v of pod.volumes ?? []) if (v.secret?.secretName) referencedSecrets.add(v.secret.secretName);

    for (const c of pod.containers) {
      const cw = `${where} container ${c.name}`;
      const [binary, ...rest] = [...(c.command ?? []), ...(c.args ?? [])];
      if (!herald.binaries.includes(binary)) {
        fail(cw, `runs '${binary}', not one of the image's binaries (${herald.binaries.join(", ")})`);
        continue;
      }
      if (binary === "herald" && rest.length > 0 && !(rest.length === 1 && herald.subcommands.includes(rest[0]))) {
        fail(cw, `herald ${rest.join(" ")}: herald takes at most one of ${herald.subcommands.join(", ")}`);
      }
      if (binary !== "herald" && rest.length > 0) fail(cw, `${binary} takes no arguments, got ${rest.join(" ")}`);
      if (isDeployment && binary === "herald" && rest.length > 0) fail(cw, `a Deployment runs 'herald ${rest[0]}', which exits`);

      // Resources.
      for (const side of ["requests", "limits"]) {
        for (const r of ["cpu", "memory"]) {
          if (c.resources?.[side]?.[r] === undefined) fail(cw, `resources.${side}.${r} is not set`);
        }
      }
      // Security.
      const sec = c.securityContext ?? {};
      if (!(sec.runAsNonRoot ?? podSec.runAsNonRoot)) fail(cw, "runAsNonRoot is not true");
      if (sec.readOnlyRootFilesystem !== true) fail(cw, "readOnlyRootFilesystem is not true");
      if (sec.allowPrivilegeEscalation !== false) fail(cw, "allowPrivilegeEscalation is not false");

      // The environment the process would see: the ConfigMaps of envFrom, then env.
      const env = new Map();
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef) {
          const cm = configMaps.get(from.configMapRef.name);
          if (!cm) {
            fail(cw, `envFrom names the ConfigMap ${from.configMapRef.name}, which is not in the render`);
            continue;
          }
          for (const [k, v] of Object.entries(cm.data ?? {})) env.set(k, { value: v, from: `ConfigMap/${cm.metadata.name}` });
        }
        if (from.secretRef) referencedSecrets.add(from.secretRef.name);
      }
      for (const e of c.env ?? []) {
        env.set(e.name, e.valueFrom ? { valueFrom: e.valueFrom, from: "env" } : { value: e.value ?? "", from: "env" });
        if (e.valueFrom?.secretKeyRef) referencedSecrets.add(e.valueFrom.secretKeyRef.name);
      }
      for (const [name, v] of env) {
        const problem = configKeyProblem(name);
        if (problem) fail(cw, `${problem} (from ${v.from})`);
        const key = herald.keys.find((k) => k.env === name);
        if (key?.secret && v.value !== undefined) {
          fail(cw, `${name} is secret-bearing (${key.section}.${key.name}) but has a literal value in ${v.from}: use valueFrom.secretKeyRef`);
        }
      }
      for (const required of ["HERALD_PG_URL", "HERALD_REDIS_URL"]) {
        const v = env.get(required);
        if (!v) fail(cw, `${required} is not set`);
        else if (!v.valueFrom?.secretKeyRef) fail(cw, `${required} must come from a Secret (valueFrom.secretKeyRef)`);
      }
      const keyFile = env.get("HERALD_SECURITY_MASTER_KEY_FILE")?.value;
      if (env.has("HERALD_SECURITY_MASTER_KEY")) fail(cw, "HERALD_SECURITY_MASTER_KEY is set: mount the key as a file (HERALD_SECURITY_MASTER_KEY_FILE)");
      if (!keyFile) fail(cw, "HERALD_SECURITY_MASTER_KEY_FILE is not set");
      else {
        const mount = (c.volumeMounts ?? []).find((m) => keyFile.startsWith(`${m.mountPath.replace(/\/$/, "")}/`));
        const volume = mount && (pod.volumes ?? []).find((v) => v.name === mount.name);
        if (!volume?.secret) fail(cw, `HERALD_SECURITY_MASTER_KEY_FILE ${keyFile} is not on a mounted Secret volume`);
        else if (!(volume.secret.items ?? [{ path: path.basename(keyFile) }]).some((i) => path.join(mount.mountPath, i.path) === keyFile)) {
          // With items, only the listed paths exist.
          fail(cw, `HERALD_SECURITY_MASTER_KEY_FILE ${keyFile} is not one of the Secret volume's files`);
        }
      }
      const run = env.get("HERALD_PROCESS_RUN");
      if (run?.valueFrom) fail(cw, "HERALD_PROCESS_RUN must be a literal value");
      if (run?.value !== undefined) {
        const problem = processRunProblem(run.value);
        if (problem) fail(cw, problem);
      }

      if (!isDeployment) continue;
      if (binary === "herald") for (const m of modulesOf(run?.value)) coveredModules.add(m);
      if (binary === "herald-scheduler") coveredModules.add("scheduler");

      // Probes: liveness /healthz, readiness /readyz, over HTTP on a port the container has.
      const ports = c.ports ?? [];
      for (const [probe, route] of [["livenessProbe", "/healthz"], ["readinessProbe", "/readyz"]]) {
        const p = c[probe];
        if (!p) {
          fail(cw, `${probe} is not set`);
          continue;
        }
        if (!p.httpGet) {
          fail(cw, `${probe} is not an HTTP probe`);
          continue;
        }
        if (p.httpGet.path !== route) fail(cw, `${probe} asks ${p.httpGet.path}, expected ${route}`);
        if (!herald.routes.includes(route)) fail(cw, `${route} is not served (services/core/app/process.cpp)`);
        const port = p.httpGet.port;
        if (!ports.some((x) => x.name === port || x.containerPort === port)) fail(cw, `${probe} port ${port} is not a container port`);
      }
      // Termination: longer than the preStop pause plus the drain deadline.
      const drain = env.get("HERALD_HTTP_DRAIN_TIMEOUT_MS");
      const drainMs = drain?.value !== undefined ? Number(drain.value) : herald.drainMs;
      if (!Number.isFinite(drainMs)) fail(cw, `HERALD_HTTP_DRAIN_TIMEOUT_MS '${drain.value}' is not a number`);
      const preStop = c.lifecycle?.preStop?.exec?.command ?? [];
      const pauseS = preStop[0] === "sleep" ? Number(preStop[1]) || 0 : 0;
      const grace = pod.terminationGracePeriodSeconds;
      if (grace === undefined) fail(where, "terminationGracePeriodSeconds is not set");
      else if (!(grace > seconds(drainMs) + pauseS)) {
        fail(where, `terminationGracePeriodSeconds ${grace} is not longer than the preStop pause (${pauseS} s) plus the drain deadline (HERALD_HTTP_DRAIN_TIMEOUT_MS ${drainMs} ms)`);
      }
    }
  }

  // Every module's background work runs somewhere (crisis: the fence keeper, without which a
  // fence lost by Redis is never reloaded and nothing is sent).
  for (const m of herald.modules) {
    if (!coveredModules.has(m)) fail(`[${target}]`, `no Deployment runs the ${m} module's background work (HERALD_PROCESS_RUN)`);
  }

  // HPAs: one for each of gateway, adapter-workers and inbox, on an existing Deployment that does
  // not also set replicas (every apply would reset the HPA's count).
  const hpaTargets = new Map();
  for (const h of hpas) {
    const t = h.spec.scaleTargetRef;
    const d = deployments.find((x) => t.kind === "Deployment" && x.metadata.name === t.name);
    if (!d) fail(w(h), `scales ${t.kind}/${t.name}, which is not in the render`);
    else hpaTargets.set(d.metadata.name, h);
    if ((h.spec.minReplicas ?? 1) > h.spec.maxReplicas) fail(w(h), "minReplicas is above maxReplicas");
  }
  for (const name of ["gateway", "adapter-workers", "inbox"]) {
    if (!hpaTargets.has(name)) fail(`[${target}]`, `no HorizontalPodAutoscaler for the Deployment ${name}`);
  }
  for (const d of deployments) {
    if (hpaTargets.has(d.metadata.name) && d.spec.replicas !== undefined) {
      fail(w(d), "sets spec.replicas while an HPA scales it (each apply would reset the count)");
    }
  }

  // A PodDisruptionBudget per Deployment.
  const pdbs = by("PodDisruptionBudget");
  for (const d of deployments) {
    const labels = d.spec.template.metadata?.labels ?? {};
    if (!pdbs.some((p) => selects(p.spec.selector, labels))) fail(w(d), "no PodDisruptionBudget selects its pods");
  }

  // NetworkPolicies: a default deny of ingress; only the gateway admits traffic from outside the
  // namespace; Herald's egress, where restricted, reaches DNS, PostgreSQL and Redis.
  const policies = by("NetworkPolicy");
  const types = (p) => p.spec.policyTypes ?? (p.spec.egress ? ["Ingress", "Egress"] : ["Ingress"]);
  const isEmptySelector = (s) => !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);
  if (!policies.some((p) => isEmptySelector(p.spec.podSelector) && types(p).includes("Ingress") && (p.spec.ingress ?? []).length === 0)) {
    fail(`[${target}]`, "no default-deny ingress NetworkPolicy (podSelector {}, policyTypes [Ingress], no rules)");
  }
  const admitsOutside = (p) =>
    types(p).includes("Ingress") &&
    (p.spec.ingress ?? []).some((rule) => !rule.from || rule.from.length === 0 || rule.from.some((f) => f.namespaceSelector || f.ipBlock));
  for (const d of workloads) {
    const labels = d.spec.template.metadata?.labels ?? {};
    const open = policies.filter((p) => selects(p.spec.podSelector ?? {}, labels) && admitsOutside(p));
    const isGateway = d.kind === "Deployment" && d.metadata.name === "gateway";
    if (isGateway && open.length === 0) fail(w(d), "no NetworkPolicy admits the ingress controller to the gateway");
    if (!isGateway && open.length > 0) {
      fail(w(d), `admits traffic from outside the namespace (${open.map(id).join(", ")}): only the gateway may`);
    }
    const egress = policies.filter((p) => selects(p.spec.podSelector ?? {}, labels) && types(p).includes("Egress"));
    if (egress.length > 0) {
      const allowed = new Set(egress.flatMap((p) => (p.spec.egress ?? []).flatMap((r) => (r.ports ?? []).map((x) => x.port))));
      for (const port of [53, 5432, 6379]) {
        if (!allowed.has(port)) fail(w(d), `egress is restricted but port ${port} (DNS, PostgreSQL, Redis) is not allowed`);
      }
    }
  }
  // The Ingress sends to the gateway's pods only.
  const services = new Map(by("Service").map((s) => [s.metadata.name, s]));
  for (const ing of by("Ingress")) {
    const backends = (ing.spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend.service?.name));
    if (ing.spec.defaultBackend?.service) backends.push(ing.spec.defaultBackend.service.name);
    for (const name of backends) {
      const svc = services.get(name);
      if (!svc) {
        fail(w(ing), `sends to the Service ${name}, which is not in the render`);
        continue;
      }
      const reached = deployments.filter((d) => selects({ matchLabels: svc.spec.selector ?? {} }, d.spec.template.metadata?.labels ?? {}));
      if (reached.length !== 1 || reached[0].metadata.name !== "gateway") {
        fail(w(ing), `Service ${name} reaches ${reached.map((d) => d.metadata.name).join(", ") || "no Deployment"}, not the gateway alone`);
      }
    }
  }

  // PostgreSQL's connections: every Herald pod at its maximum count (the HPA's ceiling, or
  // replicas), plus the surge of a rolling update, holds the pool plus one (migrations at start).
  for (const cluster of objects.filter((o) => o.kind === "Cluster" && o.apiVersion === "postgresql.cnpg.io/v1")) {
    const max = Number(cluster.spec.postgresql?.parameters?.max_connections ?? 100);
    let needed = 0;
    const parts = [];
    for (const o of workloads) {
      const c = o.spec.template.spec.containers[0];
      const env = {};
      for (const from of c.envFrom ?? []) Object.assign(env, configMaps.get(from.configMapRef?.name)?.data ?? {});
      for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
      const pool = Number(env.HERALD_PG_POOL_SIZE ?? herald.pgPool) + 1;
      let pods = 1;
      if (o.kind === "Deployment") {
        const n = hpaTargets.get(o.metadata.name)?.spec.maxReplicas ?? o.spec.replicas ?? 1;
        let surge = 0;
        if ((o.spec.strategy?.type ?? "RollingUpdate") === "RollingUpdate") {
          const s = o.spec.strategy?.rollingUpdate?.maxSurge ?? "25%";
          surge = typeof s === "string" && s.endsWith("%") ? Math.ceil((n * parseInt(s, 10)) / 100) : Number(s);
        }
        pods = n + surge;
      } else {
        pods = o.spec.parallelism ?? 1;
      }
      needed += pods * pool;
      parts.push(`${o.metadata.name} ${pods}x${pool}`);
    }
    const reserve = 10; // superuser_reserved_connections (3) and the operator's own
    if (needed + reserve > max) {
      fail(w(cluster), `max_connections ${max} is below what Herald's pods may open (${needed} = ${parts.join(" + ")}, plus ${reserve} reserved)`);
    }
  }

  // Secrets: the base and prod hold none (referenced by name only); dev's are labelled as fake.
  const secrets = by("Secret");
  if (target === "base" || target === "overlays/prod") {
    for (const s of secrets) fail(w(s), `a Secret in ${target}: it must only be referenced by name (k8s/README.md "Secrets")`);
  } else {
    for (const s of secrets) {
      if (s.metadata.labels?.["herald.dev/fake-dev-secret"] !== "true") {
        fail(w(s), "a generated Secret not labelled herald.dev/fake-dev-secret: \"true\"");
      }
    }
  }
  for (const ing of by("Ingress")) for (const t of ing.spec.tls ?? []) if (t.secretName) referencedSecrets.add(t.secretName);
  for (const name of referencedSecrets) {
    if (!secrets.some((s) => s.metadata.name === name) && !k8sReadme.includes(name)) {
      fail(`[${target}]`, `the Secret ${name} is referenced, neither in the render nor documented in k8s/README.md`);
    }
  }
}

// No literal credentials in the files of the base and of prod: URLs with a password, Secret
// objects, secretGenerator.
function literalSecretScan(dir, label) {
  for (const file of fs.readdirSync(dir)) {
    const full = path.join(dir, file);
    if (!fs.statSync(full).isFile()) continue;
    const text = fs.readFileSync(full, "utf8");
    const lines = text.split("\n");
    lines.forEach((line, i) => {
      const code = line.replace(/#.*$/, "");
      if (/[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i.test(code)) fail(`${label}/${file}:${i + 1}`, "a URL with a password");
      if (/^\s*(kind:\s*Secret\b|secretGenerator:|stringData:)/.test(code)) fail(`${label}/${file}:${i + 1}`, "a Secret's value");
    });
  }
}

// --- Main ---------------------------------------------------------------------------------------------
if (!fs.existsSync(path.join(k8sDir, "base", "kustomization.yaml"))) die(`${k8sDir}/base/kustomization.yaml is missing`);
const overlaysDir = path.join(k8sDir, "overlays");
const overlays = fs.existsSync(overlaysDir)
  ? fs.readdirSync(overlaysDir).filter((d) => fs.existsSync(path.join(overlaysDir, d, "kustomization.yaml"))).sort()
  : [];
if (overlays.length === 0) die(`no overlay in ${overlaysDir}`);
const k8sReadme = fs.existsSync(path.join(k8sDir, "README.md")) ? fs.readFileSync(path.join(k8sDir, "README.md"), "utf8") : "";
if (!k8sReadme) fail("k8s/README.md", "missing");

console.log(`kubectl: ${kubectls.map((k) => `${k.path} (${k.version})`).join(", ")}`);
console.log(`Herald: modules ${herald.modules.join(",")}; ${herald.keys.length} configuration keys; drain ${herald.drainMs} ms by default`);
let total = 0;
for (const target of ["base", ...overlays.map((o) => `overlays/${o}`)]) {
  const dir = path.join(k8sDir, target);
  const renders = kubectls.map((k) => ({ kubectl: k, ...render(k, dir) }));
  const first = renders[0];
  if (!first.error) first.objects = normalized(first.objects);
  if (first.error) {
    fail(`[${target}]`, first.error);
    continue;
  }
  for (const r of renders.slice(1)) {
    if (r.error) fail(`[${target}] with ${r.kubectl.path}`, r.error);
    else if (JSON.stringify(stable(normalized(r.objects))) !== JSON.stringify(stable(first.objects))) {
      fail(`[${target}]`, `${r.kubectl.path} (${r.kubectl.version}) renders other objects than ${first.kubectl.path} (${first.kubectl.version})`);
    }
  }
  const before = failures.length;
  for (const o of first.objects) await schemaCheck(`[${target}] ${id(o)}`, o);
  invariants(target, first.objects, k8sReadme);
  total += first.objects.length;
  const kinds = {};
  for (const o of first.objects) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
  console.log(`${failures.length === before ? "ok  " : "FAIL"} ${target}: ${first.objects.length} objects (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ")})`);
}
literalSecretScan(path.join(k8sDir, "base"), "k8s/base");
if (overlays.includes("prod")) literalSecretScan(path.join(overlaysDir, "prod"), "k8s/overlays/prod");

if (failures.length > 0) {
  console.error(`\n${failures.length} problem(s):`);
  for (const f of failures) console.error(`  FAIL ${f}`);
  process.exit(1);
}
console.log(`passed: ${total} objects in ${overlays.length + 1} renders, valid and consistent with Herald's sources`);
