#!/usr/bin/env python3
"""Print the accuracy-parity table: PyTorch against sweepspec on the same protocol.

    python3 tools/parity/compare.py                         # read tools/parity/measured/
    python3 tools/parity/compare.py --collect results/parity-final-protocol
    python3 tools/parity/compare.py --measured DIR --pytorch tools/parity/measured   # a rerun against the same PyTorch files

PyTorch side: the JSON files tools/parity/pytorch_final_protocol.py writes
(`pytorch-seed<N>.json`). sweepspec side: `sweepspec-seed<N>.json` summaries in
the same folder; `--collect RESULTS_DIR` makes them from a results folder of
`sweepspec run specs/parity/final-protocol.yaml` (plan.json, then each run's
config.json, record.json and evaluation.json) before printing. Standard library
only. Exit status 1 when either side has no completed run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

MEASURED = Path(__file__).resolve().parent / 'measured'
TARGET_POINTS = 2.0


def collect(results: Path, out: Path) -> list[Path]:
    """Summaries of the completed runs of a sweepspec results folder, one file per seed."""
    plan = json.loads((results / 'plan.json').read_text())
    written = []
    for run in plan['runs']:
        folder = results / 'runs' / run['id']
        record = json.loads((folder / 'record.json').read_text()) if (folder / 'record.json').is_file() else {}
        if record.get('status') != 'completed' or not (folder / 'evaluation.json').is_file():
            print(f'compare: run {run["id"]} ({run["name"]}) is {record.get("status", "not started")}; skipped',
                  file=sys.stderr)
            continue
        evaluation = json.loads((folder / 'evaluation.json').read_text())
        metrics = [json.loads(line) for line in (folder / 'metrics.jsonl').read_text().splitlines() if line.strip()]
        seed = run['config']['seed']
        summary = {
            'side': 'sweepspec', 'seed': seed, 'run_id': run['id'], 'run_name': run['name'],
            'backend': record.get('backend'), 'versions': record.get('versions'),
            'counts': (record.get('dataset') or {}).get('counts'), 'best_epoch': record.get('best_epoch'),
            'epochs': metrics, 'seconds': {'total': record.get('seconds')},
            'test': {'accuracy': evaluation['accuracy'], 'macro_f1': evaluation['report']['macro_avg']['f1'],
                     'loss': evaluation['loss']},
        }
        path = out / f'sweepspec-seed{seed}.json'
        path.write_text(json.dumps(summary, indent=2) + '\n')
        written.append(path)
    return written


def load(folder: Path, side: str) -> list[dict]:
    return sorted((json.loads(p.read_text()) for p in folder.glob(f'{side}-seed*.json')), key=lambda r: r['seed'])


def spread(values: list[float]) -> str:
    mean = statistics.fmean(values)
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    return f'{100 * mean:.2f} ± {100 * std:.2f}'


def table(pytorch: list[dict], sweepspec: list[dict]) -> tuple[str, bool]:
    """The markdown table and whether both means are within the target."""
    lines = ['| side | seeds | test accuracy, % (mean ± std) | macro-F1, % (mean ± std) | s per epoch (median) |',
             '| --- | --- | --- | --- | --- |']
    for name, runs in (('PyTorch', pytorch), ('sweepspec', sweepspec)):
        seconds = [e['seconds'] for r in runs for e in r['epochs'] if 'seconds' in e]
        per_epoch = f'{statistics.median(seconds):.1f}' if seconds else '–'
        lines.append(f'| {name} | {", ".join(str(r["seed"]) for r in runs)} '
                     f'| {spread([r["test"]["accuracy"] for r in runs])} '
                     f'| {spread([r["test"]["macro_f1"] for r in runs])} | {per_epoch} |')
    within = True
    cells = []
    for key in ('accuracy', 'macro_f1'):
        difference = 100 * (statistics.fmean(r['test'][key] for r in sweepspec)
                            - statistics.fmean(r['test'][key] for r in pytorch))
        within = within and abs(difference) <= TARGET_POINTS
        cells.append(f'{difference:+.2f} points')
    lines.append(f'| difference of means (sweepspec − PyTorch) | | {cells[0]} | {cells[1]} | |')
    return '\n'.join(lines), within


def per_seed(runs: list[dict]) -> str:
    return '\n'.join(f'  {r["side"]} seed {r["seed"]}: accuracy {100 * r["test"]["accuracy"]:.2f}, '
                     f'macro-F1 {100 * r["test"]["macro_f1"]:.2f}, kept epoch {r.get("best_epoch")}' for r in runs)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--measured', type=Path, default=MEASURED, help='folder of the per-seed JSON files')
    parser.add_argument('--collect', type=Path, help='a sweepspec results folder to summarise into --measured first')
    parser.add_argument('--pytorch', type=Path, help='folder of the PyTorch per-seed files, when not --measured')
    args = parser.parse_args(argv)
    if args.collect:
        for path in collect(args.collect, args.measured):
            print(f'wrote {path}', file=sys.stderr)
    pytorch, sweepspec = load(args.pytorch or args.measured, 'pytorch'), load(args.measured, 'sweepspec')
    if not pytorch or not sweepspec:
        print(f'compare: need both sides: {len(pytorch)} PyTorch runs in {args.pytorch or args.measured} and '
              f'{len(sweepspec)} sweepspec runs in {args.measured}',
              file=sys.stderr)
        return 1
    text, within = table(pytorch, sweepspec)
    print(text)
    print(per_seed(pytorch + sweepspec))
    print(f'target: means within {TARGET_POINTS:g} points: {"met" if within else "NOT met"}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
