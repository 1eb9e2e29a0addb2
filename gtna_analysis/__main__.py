"""``python -m gtna_analysis`` is the same as the ``gtna`` command."""

from gtna_analysis.cli import main

raise SystemExit(main())
