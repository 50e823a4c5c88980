#!/usr/bin/env python3
"""Regenerates docs/cli.md from the CLI's own --help output (run after building src/Glidepath.Cli)."""
import re, subprocess, sys, os
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The Release build is what ./test.sh builds; fall back to Debug.
dll = os.path.join(root, "src/Glidepath.Cli/bin/Release/net10.0/Glidepath.Cli.dll")
if not os.path.exists(dll):
    dll = os.path.join(root, "src/Glidepath.Cli/bin/Debug/net10.0/Glidepath.Cli.dll")

def help_text(path):
    out = subprocess.run(["dotnet", dll, *path, "--help"], capture_output=True, text=True).stdout
    return out.replace("Glidepath.Cli", "glidepath")

def subcommands(text):
    m = re.search(r"\nCommands:\n(.*?)(\n\n|\Z)", text, re.S)
    if not m:
        return []
    return [l.split()[0] for l in m.group(1).splitlines() if l.startswith("  ") and not l.startswith("   ") and l.strip()]

sections = []
def walk(path):
    text = help_text(path)
    sections.append((path, text))
    for sub in subcommands(text):
        walk(path + [sub])

walk([])
with open(os.path.join(root, "docs/cli.md"), "w") as f:
    f.write("# CLI reference\n\nGenerated from `glidepath --help` by `scripts/gen-cli-docs.py`; every command also answers `--help`.\n\n")
    for path, text in sections:
        f.write(f"## {' '.join(['glidepath', *path])}\n\n```text\n{text.strip()}\n```\n\n")
print(f"{len(sections)} commands")
