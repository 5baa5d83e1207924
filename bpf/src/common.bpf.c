// SPDX-License-Identifier: GPL-2.0
/*
 * The one definition of what common.bpf.h declares for every source: cfg, the ring buffer,
 * the drop/stat counters, the ignore list, the record id counter. No programs here.
 */
#define KFLOWD_COMMON_DEFINE
#include "common.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * BTF anchor: the path message is built as raw bytes in a scratch buffer, so no program
 * mentions its struct; this never-used pointer puts struct kflowd_file_path into the
 * object's BTF, where KernelLayoutsTest compares it with the Java mirror.
 */
struct kflowd_file_path *kflowd_btf_anchor_file_path __attribute__((unused));

/* Until a program stores one, this keeps struct kflowd_sock_record in the BTF too. */
struct kflowd_sock_record *kflowd_btf_anchor_sock_record __attribute__((unused));
struct kflowd_sock_payload *kflowd_btf_anchor_sock_payload __attribute__((unused));
struct kflowd_app_port *kflowd_btf_anchor_app_port __attribute__((unused));
