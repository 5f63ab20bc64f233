import sys, numpy as np, gsd.hoomd
t = gsd.hoomd.open(sys.argv[1], 'r')
f0, f1 = t[-2], t[-1]
L = f0.configuration.box[:3]
def unwrap(f):
    return f.particles.position + f.particles.image * f.configuration.box[:3]
types = f1.particles.types
large = f1.particles.typeid == types.index('L')
d = unwrap(f1)[large] - unwrap(f0)[large]
dt_tau = (f1.configuration.step - f0.configuration.step) * 0.001
print("frames", len(t), "steps", f0.configuration.step, f1.configuration.step, "box", f1.configuration.box[:3])
print("D_L = %.3e sigma^2/tau over %.0f tau" % ((d**2).sum(axis=1).mean() / (6 * dt_tau), dt_tau))
