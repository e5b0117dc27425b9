"""Entry point: `python -m substance_cli` and the `subq` console script."""

import sys


def main() -> None:
    from substance_cli import prescan

    prescan.start(sys.argv[1:])  # overlaps the knowledge-file check with the imports below
    from substance_cli.cli import run

    sys.exit(run())


if __name__ == "__main__":
    main()
