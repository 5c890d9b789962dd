"""`python -m kolplan` works as `kolplan`."""

from kolplan.cli import main

if __name__ == "__main__":
    main()
