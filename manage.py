#!/usr/bin/env python
"""Django's manage.py; ``csphub`` (the console entry point) does the same."""

from csphub.cli import main

if __name__ == "__main__":
    main()
