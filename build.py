"""Magnetiq's command line; `magnetiq` is the same program once installed."""

from commands import main

if __name__ == "__main__":
    raise SystemExit(main())
