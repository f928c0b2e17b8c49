#!/usr/bin/env python3
"""Checks the deployment files offline (no cluster, no container engine needed):

- every manifest under deploy/kubernetes/ against the Kubernetes API schemas (kubernetes-validate,
  strict: unknown fields are errors), and the properties the operators rely on: 3 replicas, liveness
  /healthz, readiness /readyz, a termination grace longer than the server's shutdown grace, non-root,
  read-only root filesystem, a Service, a Secret (token, peers, identity key, database URL), a
  PodDisruptionBudget, a CPU HorizontalPodAutoscaler and the example PostgreSQL StatefulSet;
- docker/compose.scale.yaml: PostgreSQL, a scalable incognita service (no fixed name or host port)
  with the database URL, and nginx mounting the repository's configuration, whose proxy rules retry
  idempotent requests on the next upstream.
"""
import glob
import re
import sys

import kubernetes_validate
import yaml

problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


docs = []
for path in sorted(glob.glob("deploy/kubernetes/*.yaml")):
    for doc in yaml.safe_load_all(open(path)):
        if not doc or doc.get("kind") == "Kustomization":
            continue
        try:
            kubernetes_validate.validate(doc, "1.30.0", strict=True)
        except kubernetes_validate.ValidationError as e:
            problems.append(f"{path}: {doc.get('kind')}/{doc['metadata'].get('name')}: {e.message} at {list(e.path)}")
        docs.append(doc)

by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
for kind in ["Deployment", "Service", "Secret", "PodDisruptionBudget", "HorizontalPodAutoscaler", "StatefulSet"]:
    check(kind in by_kind, f"no {kind} in deploy/kubernetes")

deployment = next(d for d in by_kind.get("Deployment", []) if d["metadata"]["name"] == "incognita")
spec = deployment["spec"]["template"]["spec"]
container = spec["containers"][0]
env = {e["name"]: e for e in container.get("env", [])}
check(deployment["spec"]["replicas"] == 3, "the Deployment runs 3 replicas")
check(container["livenessProbe"]["httpGet"]["path"] == "/healthz", "liveness probes /healthz")
check(container["readinessProbe"]["httpGet"]["path"] == "/readyz", "readiness probes /readyz")
grace = float(env.get("INCOGNITA_SHUTDOWN_GRACE", {}).get("value", 10))
check(spec["terminationGracePeriodSeconds"] > grace, "termination grace longer than the shutdown grace")
check(spec["securityContext"].get("runAsNonRoot") is True, "pods run as non-root")
check(container["securityContext"].get("readOnlyRootFilesystem") is True, "read-only root filesystem")
check(container["securityContext"].get("allowPrivilegeEscalation") is False, "no privilege escalation")
for name, key in [("INCOGNITA_DATABASE_URL", "database-url"), ("INCOGNITA_API_TOKEN", "api-token"), ("INCOGNITA_PEERS", "peers")]:
    check(env.get(name, {}).get("valueFrom", {}).get("secretKeyRef", {}).get("key") == key, f"{name} comes from the Secret's {key}")
check("INCOGNITA_ADVERTISE_URL" in env and "POD_IP" in env, "each pod advertises its own address")
secret = next(d for d in by_kind["Secret"] if d["metadata"]["name"] == "incognita")
keys = set(secret.get("stringData", {})) | set(secret.get("data", {}))
check({"api-token", "peers", "identity.key", "database-url"} <= keys, f"the Secret holds token, peers, identity key and database URL: {keys}")
hpa = by_kind["HorizontalPodAutoscaler"][0]
check(hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu", "the autoscaler follows CPU")
check(by_kind["PodDisruptionBudget"][0]["spec"]["selector"] == deployment["spec"]["selector"], "the budget selects the Deployment's pods")

compose = yaml.safe_load(open("docker/compose.scale.yaml"))
services = compose["services"]
check(set(services) >= {"postgres", "incognita", "nginx"}, "compose.scale runs postgres, incognita and nginx")
replica = services["incognita"]
check("container_name" not in replica and "ports" not in replica, "incognita can be scaled (no fixed name or host port)")
check("INCOGNITA_DATABASE_URL" in replica["environment"], "replicas get the database URL")
check(replica["depends_on"]["postgres"]["condition"] == "service_healthy", "replicas wait for PostgreSQL")
check(any("proxy.conf" in v for v in services["nginx"]["volumes"]), "nginx mounts the repository's proxy rules")
proxy = open("docker/nginx/proxy.conf").read()
check("proxy_next_upstream error timeout" in proxy, "nginx retries failed requests on the next upstream")
for block in proxy.split("location")[1:]:
    if "non_idempotent" in block:
        check(all(p not in block.split("{")[0] for p in ["jobs", "primes", "mersenne", "sessions", "peer", "distances"]) and
              "geodesics/distances" not in block, f"POSTs retried only where nothing is created: {block.split('{')[0].strip()}")
upstream = open("docker/nginx/incognita.conf").read()
check("server incognita:8080" in upstream, "nginx balances over the incognita service")
# Keep-alive upstream connections are safe only if nginx closes an idle one before a draining replica does.
idle = re.search(r"keepalive_timeout\s+(\d+)s;", upstream)
check("keepalive " in upstream and 'proxy_set_header Connection "";' in proxy and idle and int(idle.group(1)) < 5,
      "nginx keeps upstream connections alive and closes idle ones sooner than a draining replica (5 s)")

if problems:
    print("deployment files:\n  " + "\n  ".join(problems))
    sys.exit(1)
print(f"deployment files: {len(docs)} Kubernetes objects valid, compose.scale and nginx consistent")
