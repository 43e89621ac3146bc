#!/usr/bin/env python3
"""Python peer side of ci/bench (the only Python in paperverify; never used by the package).

    bench-peers.py <case> <size> --peer NAME [--repeat r] [--delta D] [--input DIR]
    bench-peers.py report RESULTS.jsonl --markdown OUT.md --json OUT.json [--meta META.json]

The first form runs one peer on the same deterministic input as `paperverify _bench <case>
<size>` (see Sources/paperverify/Bench.swift for the definitions) and prints one JSON line:
median thread-CPU and wall seconds per timed section, and a numerical fingerprint.
The second form checks agreement and writes the table (docs/BENCH.md) and docs/bench.json.
"""
import argparse
import json
import statistics
import sys
import time

PEERS = {
    "eig-values": ["numpy", "scipy-evr"],
    "eig-vectors": ["numpy", "scipy-evr"],
    "xxz-values": ["quspin"],
    "xxz-all": ["quspin"],
    "xxz-window": ["quspin"],
    "kas-descent": ["numpy"],
    "lindblad-steady": ["qutip"],
    "lindblad-sparse": ["qutip"],
}

# Agreement tolerances (relative): |a - b| <= rtol * max(|a|, |b|, fingerprintScale).
# Eigenvalues of backward-stable solvers differ by O(n eps ||A||) ~ 1e-12 ||A|| at n = 4000;
# the KAS descent is replayed with the same choices, so it must agree exactly (flips, spins)
# and to rounding in the energy; steady states from different LU factorizations agree to
# ~cond * eps.
RTOL = {"eig-values": 1e-9, "eig-vectors": 1e-9, "xxz-values": 1e-9, "xxz-all": 1e-9,
        "xxz-window": 1e-9, "kas-descent": 0.0, "lindblad-steady": 1e-8, "lindblad-sparse": 1e-8}
EXACT_KEYS = {"flips", "spinChecksum"}


class Clock:
    def __init__(self):
        self.cpu, self.wall = {}, {}

    def time(self, name, f):
        c0, w0 = time.thread_time(), time.perf_counter()
        r = f()
        c1, w1 = time.thread_time(), time.perf_counter()
        self.cpu.setdefault(name, []).append(c1 - c0)
        self.wall.setdefault(name, []).append(w1 - w0)
        return r

    def timings(self):
        return {k: {"cpu": statistics.median(self.cpu[k]), "wall": statistics.median(self.wall[k]),
                    "cpuAll": self.cpu[k], "wallAll": self.wall[k]} for k in self.cpu}


def spectrum_fingerprint(v):
    import numpy as np
    v = np.sort(np.asarray(v))
    n = len(v)
    f = {"sum": float(v.sum()), "sumSquares": float((v * v).sum())}
    for name, k in [("q0", 0), ("q1", n // 4), ("q2", n // 2), ("q3", (3 * n) // 4), ("q4", n - 1)]:
        f[name] = float(v[k])
    return f, float(np.abs(v).max())


def bench_matrix(n):
    import numpy as np
    i = np.arange(n, dtype=np.int64)
    return ((7919 * np.outer(i, i) + i[:, None] + i[None, :]) % 1009).astype(np.float64) / 1009 - 0.5


def run_eigen(a, clock, vectors):
    import numpy as np
    import scipy
    import scipy.linalg
    m = bench_matrix(a.size)
    if a.peer == "numpy":
        f = (lambda: np.linalg.eigh(m)[0]) if vectors else (lambda: np.linalg.eigvalsh(m))
        impl = f"numpy {np.__version__} linalg.{'eigh' if vectors else 'eigvalsh'}"
    else:
        f = lambda: scipy.linalg.eigh(m, eigvals_only=not vectors, driver="evr", check_finite=False,
                                      **({} if not vectors else {}))
        impl = f"scipy {scipy.__version__} linalg.eigh(driver='evr'{'' if vectors else ', eigvals_only=True'})"
    for _ in range(a.repeat):
        w = clock.time("eigensolver", f)
        if vectors and a.peer != "numpy":
            w = w[0]
    fp, scale = spectrum_fingerprint(w)
    return impl, a.size, fp, scale


def quspin_hamiltonian(L, static):
    """QuSpin's operator on the N_up = L/2 sector (spin-1/2 operators, pauli=0), checks off."""
    import numpy as np
    from quspin.basis import spin_basis_1d
    from quspin.operators import hamiltonian
    return hamiltonian(static, [], basis=spin_basis_1d(L, Nup=L // 2, pauli=0), dtype=np.float64,
                       check_symm=False, check_herm=False, check_pcon=False)


def quspin_warmup():
    """Numba JIT compilation of QuSpin's kernels, outside the timers."""
    quspin_hamiltonian(4, [["zz", [[1.0, 0, 1]]]]).eigvalsh()


def run_xxz(a, clock, vectors):
    import numpy as np
    import quspin
    L = a.size

    def build():
        bonds = [[0.5, i, (i + 1) % L] for i in range(L)]
        zz = [[a.delta, i, (i + 1) % L] for i in range(L)]
        return quspin_hamiltonian(L, [["+-", bonds], ["-+", bonds], ["zz", zz]])

    quspin_warmup()

    def total():
        h = build()
        return h.eigh()[0] if vectors else h.eigvalsh()

    for _ in range(a.repeat):
        w = clock.time("total", total)
        m = build().toarray()
        clock.time("diagonalize", (lambda: np.linalg.eigh(m)[0]) if vectors else (lambda: np.linalg.eigvalsh(m)))
    fp, scale = spectrum_fingerprint(w)
    ver = getattr(quspin, "__version__", "?")
    return (f"QuSpin {ver} spin_basis_1d(Nup=L/2) + hamiltonian (checks off) + {'eigh' if vectors else 'eigvalsh'}; "
            f"diagonalize = numpy {np.__version__} linalg.{'eigh' if vectors else 'eigvalsh'} of H.toarray()"), m.shape[0], fp, scale


def run_xxz_window(a, clock):
    """The bare ergodic-inclusion chain of `paperverify _bench xxz-window` (Bench.swift): QuSpin's
    sparse matrix, spectral bounds by eigsh (which='SA'/'LA'), then the `pairs` eigenpairs
    nearest the centre by scipy's shift-invert eigsh (SuperLU of H - sigma, ARPACK), as
    QuSpin's hamiltonian.eigsh(sigma=...) does."""
    import resource
    import numpy as np
    import scipy
    import scipy.sparse.linalg as sla
    import quspin
    L = a.size
    h = [a.disorder * (2 * ((7919 * i + 13) % 1009) / 1009 - 1) for i in range(L)]

    def build():
        bonds = [[0.5, i, i + 1] for i in range(L - 1)]
        zz = [[1.0, i, i + 1] for i in range(L - 1)]
        return quspin_hamiltonian(L, [["+-", bonds], ["-+", bonds], ["zz", zz], ["z", [[h[i], i] for i in range(L)]]])

    quspin_warmup()

    def total():
        H = build().tocsr()
        lo = sla.eigsh(H, k=1, which="SA", return_eigenvectors=False)[0]
        hi = sla.eigsh(H, k=1, which="LA", return_eigenvectors=False)[0]
        w, v = sla.eigsh(H, k=a.pairs, sigma=0.5 * (lo + hi), which="LM")
        return np.sort(w), H.shape[0]

    for _ in range(a.repeat):
        w, dim = clock.time("total", total)
    fp, scale = spectrum_fingerprint(w)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ver = getattr(quspin, "__version__", "?")
    return (f"QuSpin {ver} hamiltonian.tocsr() + scipy {scipy.__version__} sparse.linalg.eigsh: bounds (k=1, SA/LA), "
            f"then k={a.pairs}, sigma=centre (SuperLU shift-invert + ARPACK)"), dim, fp, scale, peak


def run_kas(a, clock):
    import numpy as np
    L = a.size
    rd = lambda name, dt: np.fromfile(f"{a.input}/kas-{L}-{name}.bin", dtype=dt)
    K = rd("K", "<f8").reshape(L, L)
    Z0, phi0 = rd("Z", "<f8"), rd("phi", "<f8")
    words = [int(w) for w in rd("words", "<u8")]
    MASK = (1 << 64) - 1

    def descend(Z, phi):
        """Uniformly random unstable spin until none (KASChain.descendToSingleFlipStable):
        same subset bookkeeping (swap-remove) and Lemire's integer(below:) on the same words."""
        elements, position, count = [0] * L, [-1] * L, 0
        inset = Z * phi > 0
        for i in np.flatnonzero(inset).tolist():
            elements[count] = i; position[i] = count; count += 1
        wi, flips = 0, 0
        while count > 0:
            bound = count
            m = words[wi] * bound; wi += 1
            if (m & MASK) < bound:
                t = ((1 << 64) - bound) % bound
                while (m & MASK) < t:
                    m = words[wi] * bound; wi += 1
            k = elements[m >> 64]
            c = -2.0 * Z[k]
            Z[k] = -Z[k]
            phi += c * K[k]
            new = Z * phi > 0
            for j in np.flatnonzero(new != inset).tolist():
                if new[j]:
                    elements[count] = j; position[j] = count; count += 1
                else:
                    p = position[j]; last = elements[count - 1]
                    elements[p] = last; position[last] = p; position[j] = -1; count -= 1
            inset = new
            flips += 1
        return flips

    for _ in range(a.repeat):
        Z, phi = Z0.copy(), phi0.copy()
        flips = clock.time("descent", lambda: descend(Z, phi))
    assert np.all(Z * phi < 0)
    checksum = float(np.sum(np.arange(1, L + 1) * Z))
    return (f"numpy {np.__version__} (vectorized O(L) field update per flip, Python loop over flips)", L,
            {"flips": float(flips), "spinChecksum": checksum, "energyPerSpin": float(0.5 * np.sum(Z * phi)) / L}, 0.0)


def run_lindblad(a, clock):
    import numpy as np
    import qutip
    N = a.size
    omega, J, delta, gamma, pump, decay, drive = 1.0, 0.5, 0.5, 2.0, 0.1, 0.2, 0.3
    I = qutip.qeye(3)

    def site(op, k):
        return qutip.tensor([op if j == k else I for j in range(N)])

    def model():
        sz = [site(qutip.jmat(1, "z"), k) for k in range(N)]
        sp = [site(qutip.jmat(1, "+"), k) for k in range(N)]
        sm = [site(qutip.jmat(1, "-"), k) for k in range(N)]
        sx = [site(qutip.jmat(1, "x"), k) for k in range(N)]
        H = sum(omega * sz[k] + drive * sx[k] for k in range(N))
        for k in range(N - 1):
            hop = sp[k] * sm[k + 1]
            H = H + J * (hop + hop.dag()) + delta * sz[k] * sz[k + 1]
        c_ops = []
        for k in range(N):
            c_ops += [np.sqrt(gamma) * sz[k] * sz[k], np.sqrt(pump) * sp[k], np.sqrt(decay) * sm[k]]
        return H, c_ops, sz, sp, sm

    import warnings
    warnings.simplefilter("ignore")
    for _ in range(a.repeat):
        rho = clock.time("total", lambda: qutip.steadystate(*model()[:2]))
        H, c_ops, sz, sp, sm = model()
        Lv = qutip.liouvillian(H, c_ops)
        clock.time("steadystate", lambda: qutip.steadystate(Lv))
    f = {f"sz{k}": float(qutip.expect(sz[k], rho)) for k in range(N)}
    f["purity"] = float(np.real((rho * rho).tr()))
    f["spsm01"] = float(np.real(qutip.expect(sp[0] * sm[1], rho)))
    f["trace"] = float(np.real(rho.tr()))
    return f"QuTiP {qutip.__version__} steadystate (default: direct, sparse)", 9 ** N, f, 1.0


def peer_main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("case", choices=sorted(PEERS))
    p.add_argument("size", type=int)
    p.add_argument("--peer", required=True)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--delta", type=float, default=0.7)
    p.add_argument("--input", default=None)
    p.add_argument("--disorder", type=float, default=3.0)
    p.add_argument("--pairs", type=int, default=50)
    a = p.parse_args(argv)
    if a.peer not in PEERS[a.case]:
        p.error(f"peer {a.peer} not defined for {a.case} ({', '.join(PEERS[a.case])})")
    clock = Clock()
    peak = None
    if a.case == "xxz-window":
        impl, dim, fp, scale, peak = run_xxz_window(a, clock)
    elif a.case.startswith("eig-"):
        impl, dim, fp, scale = run_eigen(a, clock, a.case == "eig-vectors")
    elif a.case.startswith("xxz-"):
        impl, dim, fp, scale = run_xxz(a, clock, a.case == "xxz-all")
    elif a.case == "kas-descent":
        impl, dim, fp, scale = run_kas(a, clock)
    else:
        impl, dim, fp, scale = run_lindblad(a, clock)
    print(json.dumps({"side": "peer", "peer": a.peer, "implementation": impl, "case": a.case, "size": a.size,
                      "dimension": int(dim), "available": True, "timings": clock.timings(), "fingerprint": fp,
                      "fingerprintScale": scale, "peakMemoryMB": peak}, sort_keys=True))


# ---------------------------------------------------------------- report

def agreement(case, a, b):
    """Largest relative deviation over the fingerprint, and whether it is within RTOL."""
    worst, ok = 0.0, True
    scale = max(a.get("fingerprintScale", 0), b.get("fingerprintScale", 0))
    if set(a["fingerprint"]) != set(b["fingerprint"]):
        return float("inf"), False
    for k, x in a["fingerprint"].items():
        y = b["fingerprint"][k]
        if k in EXACT_KEYS:
            if x != y:
                ok = False
                worst = float("inf")
            continue
        d = abs(x - y) / max(abs(x), abs(y), scale, 1e-300)
        worst = max(worst, d)
        if d > RTOL[case] and not (RTOL[case] == 0.0 and d <= 1e-12):
            ok = False
    return worst, ok


def report_main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("results")
    p.add_argument("--markdown", required=True)
    p.add_argument("--json", required=True)
    p.add_argument("--meta", default=None)
    a = p.parse_args(argv)
    runs = [json.loads(l) for l in open(a.results) if l.strip().startswith("{")]
    meta = json.load(open(a.meta)) if a.meta else {}
    groups = {}
    for r in runs:
        key = (r["case"], r["size"])
        groups.setdefault(key, {"swift": [], "peers": {}})
        if r["side"] == "paperverify":
            groups[key]["swift"].append(r)
        else:
            groups[key]["peers"].setdefault(r["peer"], []).append(r)
    rows, out_cases = [], []
    order = list(PEERS)
    for (case, size) in sorted(groups, key=lambda k: (order.index(k[0]), k[1])):
        g = groups[(case, size)]
        sw = [r for r in g["swift"] if r.get("available", True)]
        if not sw:
            note = g["swift"][0].get("note", "not available") if g["swift"] else "no paperverify run"
            rows.append([case, str(size), "–", "–", "–", "–", "–", note])
            out_cases.append({"case": case, "size": size, "available": False, "note": note})
            continue
        for peer, pr in sorted(g["peers"].items()):
            worst, ok = agreement(case, sw[-1], pr[-1])
            ok = ok and all(agreement(case, s, q)[1] for s in sw for q in pr)
            for section in sorted(sw[0]["timings"]):
                # per pair (round) medians; the ratio is the median of per-round ratios
                s_cpu = [s["timings"][section]["cpu"] for s in sw]
                p_cpu = [q["timings"][section]["cpu"] for q in pr]
                s_wall = [s["timings"][section]["wall"] for s in sw]
                p_wall = [q["timings"][section]["wall"] for q in pr]
                n = min(len(s_cpu), len(p_cpu))
                r_cpu = statistics.median([s_cpu[i] / p_cpu[i] for i in range(n)])
                r_wall = statistics.median([s_wall[i] / p_wall[i] for i in range(n)])
                entry = {"case": case, "size": size, "dimension": sw[0]["dimension"], "section": section, "peer": peer,
                         "paperverifyImplementation": sw[0]["implementation"], "peerImplementation": pr[0]["implementation"],
                         "pairs": n, "paperverifyCPU": statistics.median(s_cpu), "peerCPU": statistics.median(p_cpu),
                         "paperverifyWall": statistics.median(s_wall), "peerWall": statistics.median(p_wall),
                         "agree": ok, "maxRelativeDeviation": worst, "tolerance": RTOL[case],
                         "fingerprint": {"paperverify": sw[-1]["fingerprint"], "peer": pr[-1]["fingerprint"]}}
                if sw[0].get("peakMemoryMB") and pr[0].get("peakMemoryMB"):
                    entry["paperverifyPeakMemoryMB"] = max(s["peakMemoryMB"] for s in sw)
                    entry["peerPeakMemoryMB"] = max(q["peakMemoryMB"] for q in pr)
                if ok:
                    entry["ratioCPU"], entry["ratioWall"] = r_cpu, r_wall
                out_cases.append(entry)
                agree_s = (f"yes (max rel. dev. {worst:.1e} ≤ {RTOL[case]:g})" if case != "kas-descent"
                           else f"exact (same flips and final state; energy rel. dev. {worst:.1e})") if ok \
                    else f"**NO** (max rel. dev. {worst:.1e}): no ratio"
                rows.append([case, f"{size} (dim {sw[0]['dimension']})", section,
                             f"{statistics.median(s_cpu):.3f} / {statistics.median(s_wall):.3f}",
                             peer, f"{statistics.median(p_cpu):.3f} / {statistics.median(p_wall):.3f}",
                             f"**{r_cpu:.2f}** / {r_wall:.2f}" if ok else "–", agree_s])
    json.dump({"meta": meta, "results": out_cases, "raw": runs}, open(a.json, "w"), indent=1, sort_keys=True)
    L = []
    L.append("# paperverify benchmark against the tools users would pick instead")
    L.append("")
    L.append("Written by `ci/bench` (do not edit by hand; rerun it). Same inputs on both sides, each kernel timed "
             "inside its own process, single-threaded (OPENBLAS/OMP/MKL_NUM_THREADS=1, PAPERVERIFY_BLAS_THREADS=1), "
             "paperverify and peer runs interleaved (A B A B …). Times are medians over the rounds of each process's "
             "median; **ratio = paperverify / peer, < 1 means paperverify is faster**, the median of the per-round "
             "ratios, on thread CPU time (first) and wall time (second). A ratio is reported only when the "
             "numerical fingerprints agree (last column). Raw numbers: [bench.json](bench.json).")
    L.append("")
    for k in ["date", "command", "machine", "cpu", "loadBefore", "loadAfter", "versions", "notes"]:
        if k in meta:
            v = meta[k]
            if isinstance(v, list):
                L.append(f"- **{k}**:")
                L += [f"  - {x}" for x in v]
            else:
                L.append(f"- **{k}**: {v}")
    L.append("")
    L.append("| case | size | section | paperverify s (CPU / wall) | peer | peer s (CPU / wall) | ratio CPU / wall | agreement |")
    L.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
    L += ["| " + " | ".join(r) + " |" for r in rows]
    mem = [e for e in out_cases if "paperverifyPeakMemoryMB" in e]
    if mem:
        L.append("")
        L.append("Peak memory (largest resident set of any round's process, getrusage ru_maxrss; includes each "
                 "runtime's baseline: the Python interpreter with numpy/scipy/QuSpin loaded, the Swift binary):")
        L.append("")
        L.append("| case | size | paperverify MB | peer | peer MB |")
        L.append("| --- | --- | --: | --- | --: |")
        L += [f"| {e['case']} | {e['size']} (dim {e['dimension']}) | {e['paperverifyPeakMemoryMB']:.0f} | {e['peer']} | "
              f"{e['peerPeakMemoryMB']:.0f} |" for e in mem]
    L.append("")
    L.append("Implementations:")
    L.append("")
    seen = set()
    for e in out_cases:
        for k in ("paperverifyImplementation", "peerImplementation"):
            if k in e and (e["case"], e[k]) not in seen:
                seen.add((e["case"], e[k]))
                L.append(f"- {e['case']}: {e[k]}")
    L.append("")
    open(a.markdown, "w").write("\n".join(L))
    bad = [e for e in out_cases if e.get("agree") is False]
    if bad:
        print(f"bench: {len(bad)} row(s) disagree numerically; no ratio reported for them", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "report":
        sys.exit(report_main(sys.argv[2:]))
    peer_main(sys.argv[1:])
