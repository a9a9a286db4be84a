#pragma once
// Large simulations (a 1000-namespace mesh holds about 1.5 GiB of small objects) spend a
// quarter of their time in page faults and TLB misses on 4 KiB pages. glibc can back its
// heap with transparent huge pages, but only through the GLIBC_TUNABLES variable read at
// start-up (glibc.malloc.hugetlb=1, glibc >= 2.35). use_huge_page_heap() restarts the
// process once with that tunable added, when the user has not set glibc.malloc.hugetlb
// and VETHLAB_NO_HUGE_HEAP is unset; it returns (and nothing changes) when it cannot.

namespace vethlab::cli {

void use_huge_page_heap();

}  // namespace vethlab::cli
