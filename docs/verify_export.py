"""Verify an Indicia custody export without Indicia (stdlib only): python3 verify_export.py DIR"""
import hashlib, json, pathlib, sys

d, bad = pathlib.Path(sys.argv[1]), []
for line in (d / "SHA256SUMS").read_text("utf-8").splitlines():
    digest, name = line.split("  ", 1)
    if not (d / name).is_file() or hashlib.sha256((d / name).read_bytes()).hexdigest() != digest:
        bad.append(f"{name}: missing or does not match SHA256SUMS")
prev, last = "0" * 64, None
for n, raw in enumerate((d / "custody.jsonl").read_bytes().split(b"\n")[:-1], start=1):
    try:
        event = json.loads(raw.decode("utf-8"))
        claimed = event.pop("hash")
        canon = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except (ValueError, KeyError, TypeError) as exc:
        bad.append(f"line {n}: unreadable ({exc})")
        continue
    if hashlib.sha256(canon.encode("utf-8")).hexdigest() != claimed:
        bad.append(f"line {n} (seq {event.get('seq')}): content does not match its hash")
    if event.get("prev_hash") != prev or event.get("seq") != n:
        bad.append(f"line {n} (seq {event.get('seq')}): chain broken before this event")
    prev, last = claimed, event.get("seq")
head = json.loads((d / "export.json").read_text("utf-8"))["head"]
if (head["seq"], head["hash"]) != (last, prev):
    bad.append(f"log does not end at the exported head seq {head['seq']}")
print("\n".join(bad) or f"OK: {last} events, chain intact, head {prev}")
sys.exit(1 if bad else 0)
