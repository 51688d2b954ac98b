# pushguard — compiled server-side git hooks.
#   make                      build build/bin/{pushguard,pushguard-pre-receive,pushguard-update,pushguard-post-receive}
#   make check                the public API's rules, fuzz smoke (clang), unit tests (cmocka) and end-to-end pushes:
#                             a summary on the terminal, the detail in build/check.log
#   make fuzz / fuzz-smoke    libFuzzer targets in build-fuzz/ / run each FUZZ_SECONDS (5)
#   make install PREFIX=… DESTDIR=…
#   make docs                 docs/config.md, the configuration reference, from the key tables
#   make DEVELOPER=1          strict warnings, -Werror
#   make SANITIZE=address,undefined
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share
# A distribution package (PREFIX=/usr) keeps its configuration in /etc/pushguard.
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
MANDIR     ?= $(DATADIR)/man
DESTDIR    ?=
# git, run by its absolute path (never looked up in the hook's PATH): found here at build time
GIT_PATH   ?= $(or $(shell command -v git 2>/dev/null),/usr/bin/git)

CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
PKG_CONFIG ?= pkg-config
VERSION := 0.1.0

B := build
# Each capability adds the pkg-config modules it needs on its own line.
DEPS := libgit2
DEPS += libpcre2-8
DEPS += libcurl
DEPS += jansson
DEPS += libhs
DEPS += librnp
DEPS += libcrypto
DEPS += zlib
DEPS += libdeflate
TEST_DEPS := cmocka

define need_pkg
$(if $(shell $(PKG_CONFIG) --exists $(1) && echo yes),,$(error missing dependency '$(1)' (pkg-config cannot find it); on Debian run: ./install.sh --deps))
endef
ifeq ($(filter clean,$(MAKECMDGOALS)),)
$(foreach p,$(DEPS),$(call need_pkg,$(p)))
$(if $(filter /%,$(GIT_PATH)),,$(error GIT_PATH must be an absolute path to git, not '$(GIT_PATH)'))
endif

WARN := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
ifeq ($(DEVELOPER),1)
WARN += -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
        -Wformat-security -Wvla -Wpointer-arith -Wcast-qual -Wwrite-strings -Wundef
endif
ifneq ($(SANITIZE),)
SAN := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

PG_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(SAN) -Ilib -I$(B) \
             $(shell $(PKG_CONFIG) --cflags $(DEPS))
PG_LIBS   := $(shell $(PKG_CONFIG) --libs $(DEPS)) -lm -lpthread
# libcurl: headers only; lib/tracker.c dlopen()s it when a ticket lookup runs (linked, it adds ~4 ms to every hook start)
PG_LIBS   := $(filter-out -lcurl,$(PG_LIBS))
# librnp: headers only; lib/openpgp.c dlopen()s it when signatures are checked (linked, it adds ~10 ms to every hook start)
PG_LIBS   := $(filter-out -lrnp,$(PG_LIBS))
# libhs: headers only; lib/hs_loader.c dlopen()s it for large pushes and history scans (linked, it adds ~1.5 ms to every hook start)
PG_LIBS   := $(filter-out -lhs,$(PG_LIBS)) -ldl
# libdeflate: headers only; lib/deflate_loader.c dlopen()s it when packs are read directly (linked, ~0.2 ms a hook start)
PG_LIBS   := $(filter-out -ldeflate,$(PG_LIBS))
# libcrypto: headers only; lib/crypto_loader.c dlopen()s it for SSH signatures, DER key files and
# hashing (linked, it adds ~2 ms to every hook start: its relocations alone are 120 page faults)
PG_LIBS   := $(filter-out -lcrypto,$(PG_LIBS))

# libgit2 in the executables: LIBGIT2=static (the default where libgit2.a is installed,
# as Debian's libgit2-dev does) links it in with the libraries only it uses (its network
# transports'), the rest stay shared; LIBGIT2=shared links libgit2.so. Linked in, a hook
# starts without the dynamic linker binding libgit2's 13 libraries (two thirds of a
# one-commit hook: docs/development.md, "Speed"); a libgit2 security update then needs a
# rebuild (./install.sh again): `pushguard version` names the libgit2 built in.
# The library archive and the fuzz targets always use the shared libgit2 (PG_LIBS).
GIT2_LIBDIR := $(shell $(PKG_CONFIG) --variable=libdir libgit2 2>/dev/null)
LIBGIT2     ?= $(if $(wildcard $(GIT2_LIBDIR)/libgit2.a),static,shared)
ifeq ($(LIBGIT2),static)
# libgit2.a and what it links (pkg-config --static); lib/libgit2_no_net.c wraps libgit2's
# TLS, SSH and Negotiate entry points, so mbedTLS, libssh2 and GSS-API contribute nothing.
GIT2_STATIC := $(filter-out -lpcre2-8 -lz -lrt -lcrypto -lssl -lgssapi_krb5, \
                 $(shell $(PKG_CONFIG) --static --libs-only-l libgit2))
GIT2_WRAP   := git_mbedtls_stream_global_init git_transport_ssh_global_init \
               git_mbedtls__set_cert_location git_mbedtls_stream_new git_mbedtls_stream_wrap \
               git_smart_subtransport_ssh git_http_auth_negotiate
EXE_LIBS    := $(foreach w,$(GIT2_WRAP),-Wl,--wrap=$(w)) -Wl,-Bstatic $(GIT2_STATIC) -Wl,-Bdynamic \
               $(filter-out -lgit2,$(PG_LIBS))
NO_NET_DEFS := -DPG_LIBGIT2_STATIC
else ifeq ($(LIBGIT2),shared)
EXE_LIBS    := $(PG_LIBS)
NO_NET_DEFS :=
else
$(error LIBGIT2 must be static or shared, not '$(LIBGIT2)')
endif

LIB_SRC  := $(filter-out lib/libgit2_no_net.c,$(sort $(wildcard lib/*.c)))
NO_NET   := $(B)/lib/libgit2_no_net.o
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
TOOL_OBJ := $(patsubst %.c,$(B)/%.o,$(sort $(wildcard tools/*.c)))
BINS     := $(B)/bin/pushguard $(B)/bin/pushguard-pre-receive $(B)/bin/pushguard-update \
            $(B)/bin/pushguard-post-receive
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
# Helpers shared by unit test programs (tests/unit/*.c other than test_*.c, e.g. repo_fixture.c),
# in an archive: each program links the ones it uses.
UNIT_HELPER_OBJ := $(patsubst %.c,$(B)/%.o,$(filter-out $(UNIT_SRC),$(sort $(wildcard tests/unit/*.c))))
# libFuzzer targets, one per parser: clang, sanitizers, their own objects in build-fuzz/.
FUZZ_CC      ?= clang
FUZZ_B       := build-fuzz
FUZZ_SECONDS ?= 5
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  := -g -O1 -std=c11 -D_GNU_SOURCE $(WARN) -Ilib -I$(FUZZ_B) $(shell $(PKG_CONFIG) --cflags $(DEPS))
FUZZ_BIN     := $(patsubst tests/fuzz/%.c,$(FUZZ_B)/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))

# The built-in rule pack's Hyperscan database, compiled here (not by the first push
# that needs it) and installed beside the pack; rebuilt whenever the pack or the
# library changes.
RULES_DB := $(B)/rules/default.hsdb
# And the pack as loaded (lib/rules_snapshot.h), read by the hooks instead of parsing it.
RULES_SNAP := $(B)/rules/default.snap

all: $(BINS) $(RULES_DB) $(RULES_SNAP)

# Compiled-in paths (only the files that include build-config.h rebuild when
# they change) and compiler flags (everything rebuilds when they change).
$(B)/build-config.h $(FUZZ_B)/build-config.h: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' '#define PG_VERSION "$(VERSION)"' \
	  '#define PG_SYSCONFDIR "$(SYSCONFDIR)"' \
	  '#define PG_DATADIR "$(DATADIR)"' \
	  '#define PG_GIT_PATH "$(GIT_PATH)"' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(B)/build-flags: FORCE
	@mkdir -p $(B)
	@echo '$(CC) $(CFLAGS) $(SAN) $(DEVELOPER) $(PG_CFLAGS) $(LIBGIT2)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
	@echo '$(EXE_LIBS)' > $(B)/exe-libs

$(NO_NET): PG_CFLAGS += $(NO_NET_DEFS)

$(B)/%.o: %.c $(B)/build-flags | $(B)/build-config.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PG_CFLAGS) -MMD -MP -c $< -o $@

$(B)/libpushguard.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/bin/pushguard: $(TOOL_OBJ) $(NO_NET) $(B)/libpushguard.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(EXE_LIBS)

$(B)/bin/pushguard-%: $(B)/hooks/%.o $(NO_NET) $(B)/libpushguard.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(EXE_LIBS)

$(B)/tools/compile_rules: $(B)/tools/build/compile_rules.o $(NO_NET) $(B)/libpushguard.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(EXE_LIBS)

# RULES_DB_PORTABLE=1 (make deb): for any CPU of the architecture, not just this one.
# Rebuilt when the pack or the code that reads, classifies or serializes it changes; not
# when the tool is merely relinked (a new PREFIX: every install.sh --prefix elsewhere).
$(RULES_DB): policies/rules/default.toml lib/prefilter.c lib/prefilter.h lib/rules.c lib/rules.h \
             lib/re2.c lib/toml.c lib/regex.c tools/build/compile_rules.c | $(B)/tools/compile_rules
	@mkdir -p $(dir $@)
	$(B)/tools/compile_rules $(if $(filter 1,$(RULES_DB_PORTABLE)),--portable) $< $@

$(RULES_SNAP): policies/rules/default.toml lib/rules.c lib/rules.h lib/rules_snapshot.c lib/rules_snapshot.h \
               lib/re2.c lib/toml.c lib/regex.c tools/build/compile_rules.c $(B)/build-config.h | $(B)/tools/compile_rules
	@mkdir -p $(dir $@)
	$(B)/tools/compile_rules --snapshot $< $@

$(B)/tests/libunit.a: $(UNIT_HELPER_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/tests/%: $(B)/tests/unit/%.o $(B)/tests/libunit.a $(NO_NET) $(B)/libpushguard.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(EXE_LIBS) \
	  $(shell $(PKG_CONFIG) --libs $(TEST_DEPS) libcrypto)

$(B)/tests/unit/%.o: tests/unit/%.c $(B)/build-flags | $(B)/build-config.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PG_CFLAGS) $(shell $(PKG_CONFIG) --cflags $(TEST_DEPS)) -MMD -MP -c $< -o $@

unit: $(UNIT_BIN)
	$(call need_pkg,cmocka)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; case $$t in /*) $$t;; *) ./$$t;; esac; done

e2e: all
	tests/e2e/run.sh

# Unit tests under valgrind (JIT off: memcheck cannot follow JIT code); then the e2e
# harness's self-test of its valgrind mode; then end-to-end files with every installed
# pushguard binary under memcheck (tests/e2e/run.sh with PG_E2E_VALGRIND=1: an error or a
# definite/indirect leak in any hook or CLI run fails). Every e2e file takes about 19 min on
# 2 cores, so VALGRIND_E2E is a subset (7.5 min, 406 processes) covering every hook code path:
# default policy, modes and the update hook (t40), tickets (t57), signatures and verify (t65),
# check (t80), secrets and scan (t110), reporting and the detached sender (t120), report
# (t121), hardening (t140). VALGRIND_E2E=all runs every file.
VALGRIND_E2E ?= t40 t57 t65 t80 t110 t120 t121 t140
valgrind: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== valgrind $$t"; \
	  PUSHGUARD_NO_JIT=1 valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    --error-exitcode=9 $$t >$$t.valgrind.log 2>&1 || { tail -n 40 $$t.valgrind.log; exit 1; }; done; \
	  echo "valgrind: $(words $(UNIT_BIN)) unit test programs clean"
	tests/e2e/selftest/valgrind.sh
	PG_E2E_VALGRIND=1 tests/e2e/run.sh $(filter-out all,$(VALGRIND_E2E))

# Unit and end-to-end tests with address and undefined-behaviour sanitizers.
check-sanitize:
	$(MAKE) B=build-asan SANITIZE=address,undefined unit
	SANITIZE=address,undefined tests/e2e/run.sh

# The public API (lib/pushguard.h, docs/api.md): tools/ and hooks/ include no other project
# header and compile with pushguard.h alone in reach, and a program using only pushguard.h
# (tests/api/example.c) links against libpushguard.a and runs. Part of `make check`.
API_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(SAN) $(shell $(PKG_CONFIG) --cflags libgit2)
check-api: $(B)/libpushguard.a $(NO_NET)
	@CC="$(CC)" API_CFLAGS="$(CFLAGS) $(API_CFLAGS)" API_LIBS="$(LDFLAGS) $(NO_NET) $(EXE_LIBS)" \
	  tests/api/check-api.sh $(B)

# A short summary on the terminal (each stage's passed / failed / skipped, every skip's
# reason, every failure's detail); everything else in CHECK_LOG.
CHECK_LOG ?= $(B)/check.log
check:
	@MAKE="$(MAKE)" FUZZ_CC="$(FUZZ_CC)" FUZZ_SECONDS="$(FUZZ_SECONDS)" UNIT_BIN="$(UNIT_BIN)" \
	  tests/check.sh $(CHECK_LOG)

$(FUZZ_B)/obj/%.o: %.c | $(FUZZ_B)/build-config.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_B)/libpushguard.a: $(LIB_SRC:%.c=$(FUZZ_B)/obj/%.o)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_B)/fuzz_%: $(FUZZ_B)/obj/tests/fuzz/fuzz_%.o $(FUZZ_B)/libpushguard.a
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(PG_LIBS)

fuzz: $(FUZZ_BIN)

# Each target runs FUZZ_SECONDS over a copy of its corpus; any crash, leak or UB fails.
fuzz-smoke: fuzz
	@set -e; for f in $(FUZZ_BIN); do n=$${f#$(FUZZ_B)/fuzz_}; d=$$(mktemp -d /tmp/pg-fuzz.XXXXXX); \
	  cp tests/fuzz/corpus_$$n/* $$d/; \
	  if ./$$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=30 -artifact_prefix=$(FUZZ_B)/$$n- $$d \
	       >$(FUZZ_B)/$$n.log 2>&1; then rm -rf $$d; echo "fuzz $$n: $$(grep '^Done' $(FUZZ_B)/$$n.log)"; \
	  else rm -rf $$d; tail -n 40 $(FUZZ_B)/$$n.log; echo "fuzz $$n: FAILED (log: $(FUZZ_B)/$$n.log)"; exit 1; fi; done

fuzz-smoke-skipped:
	@echo "fuzz smoke skipped: $(FUZZ_CC) not found"

# The configuration reference, docs/config.md, from the modules' key tables and the shipped
# default policy (`pushguard help config --format markdown`); tests/e2e/t134-docs.sh fails
# when it is stale.
docs: $(B)/bin/pushguard
	PUSHGUARD_POLICY_DIR=policies $(B)/bin/pushguard help config --format markdown >docs/config.md.tmp
	mv docs/config.md.tmp docs/config.md

# A Debian binary package, pushguard_$(VERSION)_ARCH.deb, here (packaging/deb/build.sh:
# built in build-deb/ for PREFIX=/usr, Depends from dpkg-shlibdeps, lintian when present).
deb:
	MAKE="$(MAKE)" packaging/deb/build.sh $(VERSION)

bench: all
	bench/push-latency.sh

# The labelled corpus written out with fresh random values (bench/detection.sh).
$(B)/bench/corpus-gen: $(B)/bench/corpus-gen.o $(B)/tests/libunit.a $(B)/libpushguard.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(PG_LIBS)

$(B)/bench/%.o: bench/%.c $(B)/build-flags | $(B)/build-config.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PG_CFLAGS) -Itests/unit -MMD -MP -c $< -o $@

install: all
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(DATADIR)/pushguard/policies" \
	  "$(DESTDIR)$(SYSCONFDIR)/pushguard"
	install -m 0755 $(BINS) "$(DESTDIR)$(BINDIR)/"
	install -m 0644 policies/*.conf "$(DESTDIR)$(DATADIR)/pushguard/policies/"
	install -d "$(DESTDIR)$(DATADIR)/pushguard/rules" && install -m 0644 policies/rules/*.toml "$(DESTDIR)$(DATADIR)/pushguard/rules/"
	install -m 0644 $(RULES_DB) $(RULES_SNAP) "$(DESTDIR)$(DATADIR)/pushguard/rules/"
	install -d "$(DESTDIR)$(MANDIR)/man1" "$(DESTDIR)$(MANDIR)/man5"
	install -m 0644 man/*.1 "$(DESTDIR)$(MANDIR)/man1/"
	install -m 0644 man/*.5 "$(DESTDIR)$(MANDIR)/man5/"

uninstall:
	rm -f $(foreach b,$(notdir $(BINS)),"$(DESTDIR)$(BINDIR)/$(b)")
	rm -rf "$(DESTDIR)$(DATADIR)/pushguard"
	rm -f "$(DESTDIR)$(MANDIR)/man1/pushguard.1" "$(DESTDIR)$(MANDIR)/man1/pushguard-install.1" "$(DESTDIR)$(MANDIR)/man5/pushguard-config.5"

clean:
	rm -rf $(B) $(FUZZ_B)

.PHONY: docs deb all unit e2e check check-api valgrind check-sanitize bench install uninstall clean FORCE fuzz fuzz-smoke fuzz-smoke-skipped
.SECONDARY:
-include $(shell find $(B) -name '*.d' 2>/dev/null)
-include $(shell find $(FUZZ_B) -name '*.d' 2>/dev/null)
