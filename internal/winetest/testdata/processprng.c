/*
 * bcryptprimitives.dll for Wine 8: Go 1.22 and later take their random
 * numbers from ProcessPrng, which Wine 8 does not have. This one answers
 * with RtlGenRandom (advapi32's SystemFunction036). Test use only: the
 * Windows end-to-end tests copy it into a fresh Wine prefix.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG n = length > 0x7fffffff ? 0x7fffffff : (ULONG)length;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        length -= n;
    }
    return TRUE;
}
