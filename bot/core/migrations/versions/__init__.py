"""One module per schema revision, in order (0001, 0002, ...); `assistant-rh db revision -m "..."` adds one."""
