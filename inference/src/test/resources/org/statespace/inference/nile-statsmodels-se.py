import numpy as np, statsmodels, statsmodels.api as sm
y = np.loadtxt('/work/shared/reference/nile.csv', delimiter=',', skiprows=1)[:, 1]
print('statsmodels', statsmodels.__version__, 'numpy', np.__version__)
for exact in (True, False):
    for cov in ('approx', 'oim', 'opg'):
        m = sm.tsa.UnobservedComponents(y, 'llevel', use_exact_diffuse=exact)
        r = m.fit(disp=False, cov_type=cov)
        print('exact_diffuse=%s cov_type=%s params=%r bse=%r llf=%.10g' % (exact, cov, list(r.params), list(r.bse), r.llf))
r = sm.tsa.UnobservedComponents(y, 'llevel').fit(disp=False)
print('default fit(): cov_type=%s params=%r bse=%r' % (r.cov_type, list(r.params), list(r.bse)))
# the same observed information at the published maximum (R KFAS: 15098.5, 1469.18), not at statsmodels' own optimum
for exact in (True, False):
    m = sm.tsa.UnobservedComponents(y, 'llevel', use_exact_diffuse=exact)
    for cov in ('approx', 'oim'):
        r = m.smooth([15098.5, 1469.18], cov_type=cov)
        print('at published MLE: exact_diffuse=%s cov_type=%s bse=%r llf=%.10g' % (exact, cov, list(r.bse), r.llf))
