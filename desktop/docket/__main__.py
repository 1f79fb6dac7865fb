"""`python -m docket`: the same program as the `docket` command (docket.entry)."""

import sys

from docket.entry import main

if __name__ == "__main__":
    sys.exit(main())
