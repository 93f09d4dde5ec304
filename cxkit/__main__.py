import sys

from cxkit.cli.main import main

sys.exit(main())
