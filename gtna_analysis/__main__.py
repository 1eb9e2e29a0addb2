"""``python -m gtna_analysis`` is the same as the ``gtna`` command."""

from .cli import main

raise SystemExit(main())
