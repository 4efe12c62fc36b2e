"""Accuracy and speed of the cross-script name keys (undercount.names).

Ground truth: Arabic-script / Latin-script name pairs from Wikidata (Merhav & Ash
2018, CC0) and Google's Wikipedia-mined transliteration pairs (Apache-2.0), in
``../shared/data/arabic_english_name_transliteration/``. When that folder is absent
the small held-out sample shipped in ``tests/data/names/`` is used instead.

Split: every pair goes to the held-out split when the seeded SHA-256 of its
*normalised Arabic form* falls in the first fifth, so all spellings of one Arabic
name are on the same side. Rules were tuned on the train split only.

Printed per method (held-out unless ``--split train``):
- exact: fraction of true pairs whose keys are equal (recall; None never equal),
- exact_w: the same weighted by the Wikidata count (how often the pair occurs),
- jw88 / jw92: recall at Jaro-Winkler >= 0.88 / 0.92 on the keys,
- fmr_*: false-match rate on sampled non-pairs (Arabic name vs a Latin spelling
  of a different Arabic name) at exact / 0.88 / 0.92, and on non-pairs drawn
  among the 300 most frequent Arabic names only (common-name collisions),
- ll_exact: recall on Latin-Latin pairs (two spellings of one Arabic name).
Then keys/s for ``canonical_key`` on four-part names (cold cache and warm).

Run: ``.venv/bin/python benchmarks/bench_names.py [--split train] [--errors 30]
[--methods ours,anyascii,...] [--write-sample]``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from anyascii import anyascii
from rapidfuzz.distance import JaroWinkler

from undercount.names import (
    canonical_key,
    consonant_key,
    normalise_arabic,
    normalise_latin,
    phonetic_key,
)
from undercount.names._keys import latin_rule_key, token_key
from undercount.names._normalise import name_tokens
from undercount.names._skeleton import arabic_skeleton, consonants, latin_skeleton

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "arabic_english_name_transliteration"
SAMPLE = ROOT / "tests" / "data" / "names" / "heldout_pairs_sample.csv"
SEED = "undercount-names-2024"
HELDOUT_FRACTION = 5  # one in five Arabic forms
TARGET_KEYS_PER_S = 100_000

Pair = tuple[str, str, int, str]  # arabic, latin, count, source
KeyFn = Callable[[str], "str | None"]


def heldout(arabic: str) -> bool:
    """Seeded hash split on the normalised Arabic form (one fifth held out)."""
    digest = hashlib.sha256(f"{SEED}:{normalise_arabic(arabic)}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % HELDOUT_FRACTION == 0


_ARABIC_ONLY_LETTERS = frozenset("عحصضطظقةء")


def arabic_origin(arabic: str) -> bool:
    """Proxy for "an Arabic name" (not a foreign name written in Arabic script).

    True when the Arabic form has a letter that transliterations of European or
    Asian names almost never use (ع ح ص ض ط ظ ق ة ء).
    """
    return not _ARABIC_ONLY_LETTERS.isdisjoint(arabic)


def curated_pairs() -> list[Pair]:
    """Pairs from the simulator's curated Iraqi name tables (independent check).

    ``src/undercount/data/names/{given_male,given_female,family}.csv`` list each
    name in Arabic script with the Latin spellings used for it; they were written
    for the simulator, not from the Wikidata pairs, and were not used for tuning.
    """
    folder = ROOT / "src" / "undercount" / "data" / "names"
    pairs: list[Pair] = []
    for stem in ("given_male", "given_female", "family"):
        path = folder / f"{stem}.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for latin in row["latin"].split("|"):
                    if latin.strip():
                        pairs.append((row["arabic"], latin.strip(), 1, "curated"))
    return pairs


def load_pairs() -> list[Pair]:
    """All pairs from the shared data, or the shipped sample when it is absent."""
    if not SHARED.exists():
        with SAMPLE.open(encoding="utf-8") as handle:
            return [
                (r["arabic"], r["latin"], int(r["count"]), r["source"])
                for r in csv.DictReader(handle)
            ]
    pairs: list[Pair] = []
    with (SHARED / "wikidata_arabic_latin_name_tokens.csv").open(encoding="utf-8") as f:
        pairs += [
            (r["arabic"], r["latin"], int(r["count"]), "wikidata")
            for r in csv.DictReader(f)
        ]
    with (SHARED / "ar2en.txt").open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 2:
                pairs.append((fields[0], fields[1], 1, "google"))
    return pairs


# ------------------------------------------------------------------ methods
def _lower_ascii(text: str) -> str:
    return anyascii(text).casefold()


def _jellyfish(name: str) -> tuple[KeyFn, KeyFn]:
    import jellyfish

    fn = getattr(jellyfish, name)

    def key(text: str) -> str | None:
        words = [w for w in _lower_ascii(text).replace("'", "").split() if w]
        words = [w for w in ("".join(c for c in w if c.isalpha()) for w in words) if w]
        return " ".join(fn(w) for w in words) or None

    return key, key


def _camel_hsb() -> tuple[KeyFn, KeyFn]:
    from camel_tools.utils.charmap import CharMapper
    from camel_tools.utils.dediac import dediac_ar

    mapper = CharMapper.builtin_mapper("ar2hsb")

    def ar(text: str) -> str | None:
        return _lower_ascii(mapper(dediac_ar(text))) or None

    return ar, lambda t: _lower_ascii(t) or None


def methods(names: list[str]) -> dict[str, tuple[KeyFn, KeyFn]]:
    """Key functions (Arabic side, Latin side) for each evaluated method."""
    table: dict[str, Callable[[], tuple[KeyFn, KeyFn]]] = {
        "ours": lambda: (canonical_key, canonical_key),
        "ours_consonant": lambda: (consonant_key, consonant_key),
        "anyascii": lambda: (
            lambda t: _lower_ascii(t) or None,
            lambda t: _lower_ascii(t) or None,
        ),
        "pyarabic+anyascii": lambda: (
            lambda t: _lower_ascii(normalise_arabic(t)) or None,
            lambda t: normalise_latin(t) or None,
        ),
        "camel_hsb": _camel_hsb,
        "soundex": lambda: _jellyfish("soundex"),
        "metaphone": lambda: _jellyfish("metaphone"),
        "nysiis": lambda: _jellyfish("nysiis"),
        "mra": lambda: _jellyfish("match_rating_codex"),
    }
    out = {}
    for name in names:
        try:
            out[name] = table[name]()
        except ImportError as error:  # camel-tools is optional (evaluation only)
            print(f"# {name}: skipped ({error})")
    return out


# ------------------------------------------------------------------ metrics
def _equal(a: str | None, b: str | None) -> bool:
    return a is not None and a == b


def _jw(a: str | None, b: str | None) -> float:
    if a is None or b is None:
        return 0.0
    return JaroWinkler.similarity(a, b)


def evaluate(
    pairs: list[Pair], key_ar: KeyFn, key_lat: KeyFn, rng: np.random.Generator
) -> dict[str, float]:
    """Recall on true pairs and false-match rates on sampled non-pairs."""
    ar_keys = {a: key_ar(a) for a in {p[0] for p in pairs}}
    lat_keys = {lat: key_lat(lat) for lat in {p[1] for p in pairs}}
    exact = [_equal(ar_keys[a], lat_keys[lat]) for a, lat, _, _ in pairs]
    sims = np.array([_jw(ar_keys[a], lat_keys[lat]) for a, lat, _, _ in pairs])
    weights = np.array([c for _, _, c, _ in pairs], dtype=float)
    result = {
        "n": float(len(pairs)),
        "exact": float(np.mean(exact)),
        "exact_w": float(np.average(exact, weights=weights)),
        "jw88": float(np.mean(sims >= 0.88)),
        "jw92": float(np.mean(sims >= 0.92)),
    }
    # Non-pairs: an Arabic name against a Latin spelling of a different name.
    by_norm: dict[str, set[str]] = defaultdict(set)
    freq: Counter[str] = Counter()
    for a, lat, count, _ in pairs:
        by_norm[normalise_arabic(a)].add(lat.casefold())
        freq[a] += count
    n = 20_000
    idx_a = rng.integers(0, len(pairs), n)
    idx_l = rng.integers(0, len(pairs), n)
    negatives = [
        (pairs[i][0], pairs[j][1])
        for i, j in zip(idx_a, idx_l, strict=True)
        if pairs[j][1].casefold() not in by_norm[normalise_arabic(pairs[i][0])]
    ]
    result.update(_fmr(negatives, ar_keys, lat_keys, "fmr"))
    common = [a for a, _ in freq.most_common(300)]
    spelling = {}
    for a, lat, _count, _ in sorted(pairs, key=lambda p: p[2]):
        spelling[a] = lat
    common_neg = [
        (a, spelling[b])
        for a in common
        for b in common
        if normalise_arabic(a) != normalise_arabic(b)
        and spelling[b].casefold() not in by_norm[normalise_arabic(a)]
    ]
    result.update(_fmr(common_neg, ar_keys, lat_keys, "fmr_common"))
    # Latin-Latin: distinct spellings of one Arabic form.
    ll = [
        (x, y)
        for spellings in by_norm.values()
        for x in sorted(spellings)
        for y in sorted(spellings)
        if x < y
    ]
    result["ll_exact"] = (
        float(np.mean([_equal(key_lat(x), key_lat(y)) for x, y in ll])) if ll else 0.0
    )
    return result


def _fmr(
    negatives: list[tuple[str, str]],
    ar_keys: dict[str, str | None],
    lat_keys: dict[str, str | None],
    prefix: str,
) -> dict[str, float]:
    if not negatives:
        return {f"{prefix}_exact": 0.0, f"{prefix}_jw88": 0.0, f"{prefix}_jw92": 0.0}
    sims = np.array([_jw(ar_keys[a], lat_keys[lat]) for a, lat in negatives])
    return {
        f"{prefix}_exact": float(
            np.mean([_equal(ar_keys[a], lat_keys[lat]) for a, lat in negatives])
        ),
        f"{prefix}_jw88": float(np.mean(sims >= 0.88)),
        f"{prefix}_jw92": float(np.mean(sims >= 0.92)),
    }


def blocking(pairs: list[Pair], rng: np.random.Generator) -> tuple[float, float]:
    """phonetic_key: recall on true pairs, and share of random pairs it keeps."""
    same = [_equal(phonetic_key(a), phonetic_key(lat)) for a, lat, _, _ in pairs]
    i = rng.integers(0, len(pairs), 20_000)
    j = rng.integers(0, len(pairs), 20_000)
    kept = [
        _equal(phonetic_key(pairs[x][0]), phonetic_key(pairs[y][1]))
        for x, y in zip(i, j, strict=True)
    ]
    return float(np.mean(same)), float(np.mean(kept))


def show_errors(pairs: list[Pair], limit: int) -> None:
    """Print the most frequent true pairs whose keys differ (for tuning on train)."""
    pairs = [p for p in pairs if arabic_origin(p[0])]
    misses = [
        (count, a, lat, canonical_key(a), canonical_key(lat))
        for a, lat, count, _ in pairs
        if not _equal(canonical_key(a), canonical_key(lat))
    ]
    misses.sort(reverse=True)
    for count, a, lat, ka, kl in misses[:limit]:
        print(f"{count:5d}  {a}  {lat}  {ka}  {kl}")
    letters: Counter[tuple[str, str]] = Counter()
    for _count, a, lat, _ka, _kl in misses:
        sa, sl = (
            arabic_skeleton(normalise_arabic(a)),
            latin_skeleton(normalise_latin(lat)),
        )
        if len(sa) == len(sl):
            letters.update((x, y) for x, y in zip(sa, sl, strict=True) if x != y)
    print("class confusions (arabic, latin):", letters.most_common(25))


def speed() -> tuple[float, float]:
    """canonical_key throughput on four-part names: cold (caches cleared) and warm.

    Names are four tokens drawn from one script's pool (half Arabic, half Latin),
    like records of a real list; the cold run starts with empty token caches.
    """
    rng = np.random.default_rng(7)
    pairs = load_pairs()
    pools = [
        np.array(sorted({p[0] for p in pairs}), dtype=object),
        np.array(sorted({p[1] for p in pairs}), dtype=object),
    ]
    names = [" ".join(rng.choice(pools[i % 2], 4)) for i in range(100_000)]
    token_key.cache_clear()
    arabic_skeleton.cache_clear()
    latin_skeleton.cache_clear()
    start = time.perf_counter()
    for name in names:
        canonical_key(name)
    cold = len(names) / (time.perf_counter() - start)
    start = time.perf_counter()
    for name in names:
        canonical_key(name)
    warm = len(names) / (time.perf_counter() - start)
    return cold, warm


_PREFIX_WORDS = frozenset(
    {"عبد", "ابو", "أبو", "ام", "أم", "آل", "ال", "بن", "ابن", "بنت"}
)


def build_lexicon(pairs: list[Pair], min_count: int = 2, share: float = 0.6) -> None:
    """Write the Latin-spelling lexicon from *training* pairs (see _lexicon.py).

    For each normalised one-token Latin spelling seen ``min_count`` times or more,
    the Arabic forms it was paired with are grouped by their rule-based key; when
    one key has at least ``share`` of the count, its most frequent Arabic form is
    stored, unless the rules already give the Latin spelling that key.
    """
    from undercount.names._lexicon import LEXICON_PATH

    by_latin: dict[str, Counter[str]] = defaultdict(Counter)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for arabic, latin, count, _ in pairs:
        words = normalise_latin(latin).split()
        keys = canonical_key(arabic)
        if len(words) != 1 or keys is None or " " in keys:
            continue
        # Token alignment noise: compounds aligned to their first Arabic word
        # (abdullah -> عبد), or spellings whose consonants disagree.
        if words[0].startswith(("abd", "abu", "umm")) or arabic in _PREFIX_WORDS:
            continue
        similarity = JaroWinkler.similarity(
            consonants(keys), consonants(latin_rule_key(words[0]))
        )
        if similarity < 0.75:
            continue
        by_latin[words[0]][keys] += count
        forms[keys][" ".join(name_tokens(arabic, for_key=True))] += count
    rows = []
    for latin, counter in sorted(by_latin.items()):
        total = sum(counter.values())
        key, best = counter.most_common(1)[0]
        if total < min_count or best / total < share:
            continue
        if latin_rule_key(latin) == key or latin.isdigit():
            continue
        rows.append((latin, forms[key].most_common(1)[0][0], total))
    with LEXICON_PATH.open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            "# latin\tarabic\tcount: built by benchmarks/bench_names.py "
            "--build-lexicon from the TRAIN split (see docs/names.md)\n"
        )
        for latin, arabic, total in rows:
            handle.write(f"{latin}\t{arabic}\t{total}\n")
    print(f"wrote {len(rows)} entries to {LEXICON_PATH}")


def write_sample(pairs: list[Pair], size: int = 2000) -> None:
    """Copy a seeded sample of held-out pairs into tests/data/names/."""
    rng = np.random.default_rng(20240607)
    chosen = rng.choice(len(pairs), size=min(size, len(pairs)), replace=False)
    SAMPLE.parent.mkdir(parents=True, exist_ok=True)
    with SAMPLE.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["arabic", "latin", "count", "source"])
        for i in sorted(chosen):
            writer.writerow(pairs[i])
    print(f"wrote {len(chosen)} pairs to {SAMPLE}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["heldout", "train"], default="heldout")
    parser.add_argument("--methods", default="ours")
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--errors-on", choices=["split", "curated"], default="split")
    parser.add_argument("--min-count", type=int, default=1)
    parser.add_argument("--write-sample", action="store_true")
    parser.add_argument("--build-lexicon", action="store_true")
    parser.add_argument(
        "--no-lexicon", action="store_true", help="rules only (for tuning on train)"
    )
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args(argv)

    if args.no_lexicon:
        import undercount.names._keys as keys_module

        keys_module.latin_lexicon = dict  # type: ignore[assignment]
        token_key.cache_clear()
    pairs = load_pairs()
    source = "shared data" if SHARED.exists() else f"sample {SAMPLE.name}"
    want_heldout = args.split == "heldout"
    if SHARED.exists():
        pairs = [p for p in pairs if heldout(p[0]) == want_heldout]
    pairs = [p for p in pairs if p[2] >= args.min_count]
    if args.build_lexicon:
        build_lexicon([p for p in load_pairs() if not heldout(p[0])])
        return 0
    if args.write_sample:
        write_sample([p for p in pairs if p[3] == "wikidata" and p[2] >= 2])
        return 0
    print(f"# {source}, split={args.split}, min_count={args.min_count}")
    for subset in ("wikidata", "wd-arabic", "google"):
        part = [p for p in pairs if p[3] == subset.replace("wd-arabic", "wikidata")]
        if subset == "wd-arabic":
            part = [p for p in part if arabic_origin(p[0])]
        if not part:
            continue
        for name, (key_ar, key_lat) in methods(args.methods.split(",")).items():
            rng = np.random.default_rng(11)
            metrics = evaluate(part, key_ar, key_lat, rng)
            cells = " ".join(f"{k}={v:.3f}" for k, v in metrics.items() if k != "n")
            print(f"{subset:8s} n={int(metrics['n']):6d} {name:18s} {cells}")
        recall, kept = blocking(part, np.random.default_rng(13))
        print(
            f"{subset:8s} phonetic_key blocking: recall={recall:.3f} "
            f"random pairs kept={kept:.4f}"
        )
    curated = curated_pairs()
    if curated:
        for name, (key_ar, key_lat) in methods(args.methods.split(",")).items():
            metrics = evaluate(curated, key_ar, key_lat, np.random.default_rng(11))
            cells = " ".join(f"{k}={v:.3f}" for k, v in metrics.items() if k != "n")
            print(f"{'curated':8s} n={int(metrics['n']):6d} {name:18s} {cells}")
    if args.errors:
        show_errors(curated if args.errors_on == "curated" else pairs, args.errors)
    if not args.no_speed:
        cold, warm = speed()
        target = TARGET_KEYS_PER_S
        print(
            f"canonical_key: {cold:,.0f} names/s cold cache, {warm:,.0f} names/s warm "
            f"(target {target:,}: ratio {cold / target:.2f} cold, "
            f"{warm / target:.2f} warm)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
