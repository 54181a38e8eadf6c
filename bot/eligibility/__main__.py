"""``python -m bot.eligibility FILE|-``: print one screening result as JSON.

Exit 0 with the result on stdout; exit 2 with one line on stderr (and nothing on stdout)
when the input is bad.
"""

from __future__ import annotations

import argparse
import json
import sys

from bot.eligibility import AnswerError, parse_json, screen

EXIT_BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.eligibility", description=__doc__.splitlines()[0])
    parser.add_argument("file", help="a JSON file of answers, or - for standard input")
    parser.add_argument("--language", default="en", help="language of the explanations (default: en)")
    args = parser.parse_args(argv)
    try:
        if args.file == "-":
            text = sys.stdin.read()
        else:
            with open(args.file, encoding="utf-8") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {args.file}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        evaluation = screen(parse_json(text), language=args.language)
    except AnswerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(json.dumps(evaluation.to_dict(), ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
