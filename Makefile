# kflowd for Java. The README's two commands:
#   make run [ARGS="-m file -o json-min"]   build what is missing, start the monitor here
#   make test                               the whole test suite
# Both install missing Debian packages with apt-get when run as root, find a Java 25 JDK
# (JAVA_HOME if it is 25+, else /usr/lib/jvm) and stop with a precise message otherwise.

SHELL       := /bin/bash
.DEFAULT_GOAL := run
DIST        := runtime/target/kflowd
FIND_JAVA   := runtime/src/dist/bin/find-java
# Build: maven, clang/libbpf-dev/bpftool for the kernel programs. Run: libbpf1 (with
# libbpf-dev), logger and setsid (bsdutils, util-linux). Tests: the real clients they drive.
APT_PACKAGES := maven clang libbpf-dev bpftool bsdutils util-linux procps iproute2 \
                curl dnsutils python3 coreutils
SOURCES     := $(shell find pom.xml bpf bundles runtime features -name target -prune -o -type f -print 2>/dev/null)
MVN_FLAGS   := -B -ntp

.PHONY: run test build deps bench clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" -ne 0 ]; then \
	        echo "make: missing Debian packages:$$missing; run as root (make installs them) or: sudo apt-get install$$missing" >&2; exit 1; \
	    fi; \
	    echo "make: installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null \
	      || { echo "make: apt-get install$$missing failed" >&2; exit 1; }; \
	fi
	@$(FIND_JAVA) --jdk >/dev/null
	@# tracepoints are attached through tracefs; minimal hosts do not mount it (kflowd itself
	@# mounts it when it starts, the kernel tests of the build need it before that)
	@if [ "$$(id -u)" -eq 0 ] && [ ! -d /sys/kernel/tracing/events ] && [ ! -d /sys/kernel/debug/tracing/events ]; then \
	    mount -t tracefs nodev /sys/kernel/tracing || { echo "make: cannot mount tracefs at /sys/kernel/tracing" >&2; exit 1; }; \
	fi

$(DIST)/.built: $(SOURCES) | deps
	JAVA_HOME=$$($(FIND_JAVA) --jdk) mvn $(MVN_FLAGS) -q package -DskipTests
	touch $@

build: deps $(DIST)/.built

run: build
	@if [ "$$(id -u)" -ne 0 ]; then echo "make run: kflowd loads eBPF programs and must run as root: sudo make run" >&2; exit 1; fi
	$(DIST)/bin/kflowd $(ARGS)

test: deps
	JAVA_HOME=$$($(FIND_JAVA) --jdk) mvn $(MVN_FLAGS) verify
	touch $(DIST)/.built

bench: build
	@if [ "$$(id -u)" -ne 0 ]; then echo "make bench: needs root (it runs the monitor)" >&2; exit 1; fi
	benchmarks/harness/filechurn.sh
	benchmarks/harness/netchurn.sh
	JAVA_HOME=$$($(FIND_JAVA) --jdk) $$($(FIND_JAVA) --jdk)/bin/java -jar benchmarks/target/benchmarks.jar -f 1 -wi 3 -i 5 -t 1

clean:
	JAVA_HOME=$$($(FIND_JAVA) --jdk) mvn $(MVN_FLAGS) -q clean
