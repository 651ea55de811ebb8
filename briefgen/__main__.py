from briefgen import main

raise SystemExit(main())
