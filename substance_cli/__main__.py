"""Entry point: `python -m substance_cli` and the `subq` console script."""

import sys


def main() -> None:
    from substance_cli.cli import run

    sys.exit(run())


if __name__ == "__main__":
    main()
