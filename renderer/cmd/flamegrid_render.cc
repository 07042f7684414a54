// STUB
#include <cstdio>
int main() { std::fprintf(stderr, "not implemented yet\n"); return 1; }
