//! Exact rationals for the few comparisons SPEC wants decided "exactly, in integers": means of
//! means against a crosshair (the mirror quadrant), tied means in a ranking, the lowest
//! customer score. A mean is Σx / n; a mean of eight such means has a denominator that is the
//! product of eight counts, which outgrows 128 bits with large groups — so numerator and
//! denominator are arbitrary-precision integers here (a few limbs; nothing is ever reduced,
//! the values stay small enough). A double converts exactly too (every finite double is a
//! dyadic rational), which is how the derived importance, a correlation, is compared.

use std::cmp::Ordering;

/// An arbitrary-precision integer: sign and magnitude in base 2³², least significant limb
/// first, without leading zero limbs (zero is the empty magnitude, never negative).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Big {
    negative: bool,
    limbs: Vec<u32>,
}

fn trim(mut limbs: Vec<u32>) -> Vec<u32> {
    while limbs.last() == Some(&0) {
        limbs.pop();
    }
    limbs
}

fn cmp_magnitude(a: &[u32], b: &[u32]) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

fn add_magnitude(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len().max(b.len()) + 1);
    let mut carry = 0u64;
    for i in 0..a.len().max(b.len()) {
        let s = u64::from(a.get(i).copied().unwrap_or(0))
            + u64::from(b.get(i).copied().unwrap_or(0))
            + carry;
        out.push(s as u32);
        carry = s >> 32;
    }
    if carry > 0 {
        out.push(carry as u32);
    }
    trim(out)
}

/// a − b for |a| ≥ |b|.
fn sub_magnitude(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len());
    let mut borrow = 0i64;
    for (i, &x) in a.iter().enumerate() {
        let mut d = i64::from(x) - i64::from(b.get(i).copied().unwrap_or(0)) - borrow;
        borrow = 0;
        if d < 0 {
            d += 1 << 32;
            borrow = 1;
        }
        out.push(d as u32);
    }
    trim(out)
}

impl Big {
    fn from_i128(v: i128) -> Big {
        let mut m = v.unsigned_abs();
        let mut limbs = Vec::with_capacity(4);
        while m > 0 {
            limbs.push(m as u32);
            m >>= 32;
        }
        Big {
            negative: v < 0,
            limbs,
        }
    }

    /// 2^k.
    fn pow2(k: u32) -> Big {
        let mut limbs = vec![0u32; (k / 32) as usize];
        limbs.push(1 << (k % 32));
        Big {
            negative: false,
            limbs,
        }
    }

    fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    fn mul(&self, o: &Big) -> Big {
        if self.is_zero() || o.is_zero() {
            return Big::from_i128(0);
        }
        let mut out = vec![0u32; self.limbs.len() + o.limbs.len()];
        for (i, &a) in self.limbs.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in o.limbs.iter().enumerate() {
                let t = u64::from(a) * u64::from(b) + u64::from(out[i + j]) + carry;
                out[i + j] = t as u32;
                carry = t >> 32;
            }
            let mut k = i + o.limbs.len();
            while carry > 0 {
                let t = u64::from(out[k]) + carry;
                out[k] = t as u32;
                carry = t >> 32;
                k += 1;
            }
        }
        Big {
            negative: self.negative != o.negative,
            limbs: trim(out),
        }
    }

    fn add(&self, o: &Big) -> Big {
        if self.negative == o.negative {
            return Big {
                negative: self.negative,
                limbs: add_magnitude(&self.limbs, &o.limbs),
            };
        }
        match cmp_magnitude(&self.limbs, &o.limbs) {
            Ordering::Equal => Big::from_i128(0),
            Ordering::Greater => Big {
                negative: self.negative,
                limbs: sub_magnitude(&self.limbs, &o.limbs),
            },
            Ordering::Less => Big {
                negative: o.negative,
                limbs: sub_magnitude(&o.limbs, &self.limbs),
            },
        }
    }

    fn negate(&self) -> Big {
        Big {
            negative: !self.negative && !self.is_zero(),
            limbs: self.limbs.clone(),
        }
    }

    fn cmp(&self, o: &Big) -> Ordering {
        match (self.negative, o.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => cmp_magnitude(&self.limbs, &o.limbs),
            (true, true) => cmp_magnitude(&o.limbs, &self.limbs),
        }
    }
}

/// An exact rational number num / den with den > 0 (not reduced).
#[derive(Debug, Clone)]
pub struct Exact {
    num: Big,
    den: Big,
}

impl Exact {
    pub fn int(v: i128) -> Exact {
        Exact {
            num: Big::from_i128(v),
            den: Big::from_i128(1),
        }
    }

    /// num / den; None when den = 0.
    pub fn ratio(num: i128, den: i128) -> Option<Exact> {
        if den == 0 {
            return None;
        }
        let (num, den) = if den < 0 {
            (Big::from_i128(num).negate(), Big::from_i128(den).negate())
        } else {
            (Big::from_i128(num), Big::from_i128(den))
        };
        Some(Exact { num, den })
    }

    /// The exact value of a finite double (None for NaN and ±∞).
    pub fn from_f64(x: f64) -> Option<Exact> {
        if !x.is_finite() {
            return None;
        }
        let bits = x.to_bits();
        let negative = bits >> 63 == 1;
        let exponent = ((bits >> 52) & 0x7ff) as i32;
        let fraction = bits & ((1u64 << 52) - 1);
        // value = mantissa · 2^power
        let (mantissa, power) = if exponent == 0 {
            (fraction, -1074)
        } else {
            (fraction | (1u64 << 52), exponent - 1075)
        };
        let m = Big::from_i128(i128::from(mantissa));
        let m = if negative { m.negate() } else { m };
        Some(if power >= 0 {
            Exact {
                num: m.mul(&Big::pow2(power as u32)),
                den: Big::from_i128(1),
            }
        } else {
            Exact {
                num: m,
                den: Big::pow2((-power) as u32),
            }
        })
    }

    pub fn add(&self, o: &Exact) -> Exact {
        Exact {
            num: self.num.mul(&o.den).add(&o.num.mul(&self.den)),
            den: self.den.mul(&o.den),
        }
    }

    pub fn sub(&self, o: &Exact) -> Exact {
        self.add(&Exact {
            num: o.num.negate(),
            den: o.den.clone(),
        })
    }

    pub fn mul(&self, o: &Exact) -> Exact {
        Exact {
            num: self.num.mul(&o.num),
            den: self.den.mul(&o.den),
        }
    }

    pub fn mul_int(&self, k: i128) -> Exact {
        Exact {
            num: self.num.mul(&Big::from_i128(k)),
            den: self.den.clone(),
        }
    }

    pub fn abs(&self) -> Exact {
        Exact {
            num: Big {
                negative: false,
                limbs: self.num.limbs.clone(),
            },
            den: self.den.clone(),
        }
    }

    /// Less, Equal or Greater than zero.
    pub fn sign(&self) -> Ordering {
        self.num.cmp(&Big::from_i128(0))
    }

    /// Σ values (0 for none).
    pub fn sum<'a>(values: impl IntoIterator<Item = &'a Exact>) -> Exact {
        values.into_iter().fold(Exact::int(0), |acc, v| acc.add(v))
    }
}

impl PartialEq for Exact {
    fn eq(&self, o: &Exact) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}

impl Eq for Exact {}

impl PartialOrd for Exact {
    fn partial_cmp(&self, o: &Exact) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Exact {
    /// a/b against c/d with b, d > 0: a·d against c·b.
    fn cmp(&self, o: &Exact) -> Ordering {
        self.num.mul(&o.den).cmp(&o.num.mul(&self.den))
    }
}

/// Compares the means a_sum / a_n and b_sum / b_n exactly (both counts > 0): in i128 where
/// the cross products fit, else in arbitrary precision.
pub fn cmp_means(a_sum: i128, a_n: i128, b_sum: i128, b_n: i128) -> Ordering {
    match (a_sum.checked_mul(b_n), b_sum.checked_mul(a_n)) {
        (Some(x), Some(y)) if a_n > 0 && b_n > 0 => x.cmp(&y),
        _ => match (Exact::ratio(a_sum, a_n), Exact::ratio(b_sum, b_n)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => Ordering::Equal,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i128, d: i128) -> Exact {
        Exact::ratio(n, d).unwrap()
    }

    #[test]
    fn small_rationals_compare_as_fractions() {
        assert_eq!(r(1, 3).cmp(&r(2, 6)), Ordering::Equal);
        assert!(r(1, 3) < r(334, 1000));
        assert!(r(-1, 3) < r(1, -4));
        assert_eq!(r(1, 3).add(&r(1, 6)), r(1, 2));
        assert_eq!(r(1, 3).sub(&r(1, 2)), r(-1, 6));
        assert_eq!(r(-5, 7).abs(), r(5, 7));
        assert_eq!(r(-5, 7).sign(), Ordering::Less);
        assert_eq!(r(0, 7).sign(), Ordering::Equal);
        assert_eq!(r(2, 3).mul_int(3), Exact::int(2));
        assert!(Exact::ratio(1, 0).is_none());
        assert_eq!(
            Exact::sum([r(1, 2), r(1, 3), r(1, 6)].iter()),
            Exact::int(1)
        );
    }

    #[test]
    fn doubles_convert_exactly() {
        assert_eq!(Exact::from_f64(0.5).unwrap(), r(1, 2));
        assert_eq!(Exact::from_f64(-3.0).unwrap(), Exact::int(-3));
        assert_eq!(Exact::from_f64(0.0).unwrap(), Exact::int(0));
        // 0.1 is not 1/10, but a hair above it.
        assert!(Exact::from_f64(0.1).unwrap() > r(1, 10));
        assert_eq!(
            Exact::from_f64(0.1).unwrap(),
            r(3_602_879_701_896_397, 36_028_797_018_963_968)
        );
        assert_eq!(
            Exact::from_f64(1e300)
                .unwrap()
                .cmp(&Exact::from_f64(1e299).unwrap()),
            Ordering::Greater
        );
        let tiny = f64::from_bits(1); // the smallest subnormal, 2^-1074
        assert!(Exact::from_f64(tiny).unwrap() > Exact::int(0));
        assert!(Exact::from_f64(f64::NAN).is_none());
    }

    /// Eight means with large, pairwise coprime counts: the common denominator is far past
    /// 128 bits, and the comparison with their mean must still be exact.
    #[test]
    fn means_of_means_beyond_128_bits() {
        let counts: [i128; 8] = [
            1_000_003, 1_000_033, 1_000_037, 1_000_039, 1_000_081, 1_000_099, 1_000_117, 1_000_121,
        ];
        let means: Vec<Exact> = counts.iter().map(|&n| r(7 * n + 1, n)).collect();
        let total = Exact::sum(means.iter());
        // Each mean is 7 + 1/n: the largest n gives the smallest mean, below the average;
        // the smallest n the largest, above it.
        assert!(means[7].mul_int(8) < total);
        assert!(means[0].mul_int(8) > total);
        // A value exactly on the average counts as equal.
        let on = Exact {
            num: total.num.clone(),
            den: total.den.mul(&Big::from_i128(8)),
        };
        assert_eq!(on.mul_int(8), total);
        assert_eq!(
            cmp_means(i128::MAX / 2, 3, i128::MAX / 2, 3),
            Ordering::Equal
        );
        assert_eq!(
            cmp_means(i128::MAX / 2, 3, i128::MAX / 2, 2),
            Ordering::Less
        );
        assert_eq!(cmp_means(7, 2, 10, 3), Ordering::Greater);
    }

    #[test]
    fn big_arithmetic_agrees_with_i128() {
        let values: [i128; 9] = [
            0,
            1,
            -1,
            4_294_967_295,
            4_294_967_296,
            -18_446_744_073_709_551_617,
            123_456_789_012_345_678,
            -987_654_321,
            i64::MAX as i128,
        ];
        for &a in &values {
            for &b in &values {
                let (x, y) = (Big::from_i128(a), Big::from_i128(b));
                assert_eq!(x.add(&y), Big::from_i128(a + b), "{a} + {b}");
                if let Some(p) = a.checked_mul(b) {
                    assert_eq!(x.mul(&y), Big::from_i128(p), "{a} · {b}");
                }
                assert_eq!(x.cmp(&y), a.cmp(&b), "{a} <> {b}");
            }
        }
    }
}
