// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: version.h
// -----------------------------------------------------------------------------
//
// alloc_counter's version, MAJOR.MINOR.PATCH. While MAJOR is 0, a new MINOR
// may break users. The CMake build reads its project version from this line;
// every run's JSON `context` carries it as `alloc_counter_version`.

#ifndef ALLOC_COUNTER_VERSION_H_
#define ALLOC_COUNTER_VERSION_H_

#define ALLOC_COUNTER_VERSION "0.1.0"

#endif  // ALLOC_COUNTER_VERSION_H_
