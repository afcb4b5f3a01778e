"""topapi's runtime source, importable by topgen as `topgen.runtime` (this file is not copied).

topapi's own `__init__.py` is a template; this one only makes `topgen.runtime` a regular
package, which an editable install of topgen can import (a namespace package inside `topgen`
it cannot).
"""
