/**
 * Synthetic house prices, made from an explicit key (so every run has the same houses): five
 * features on very different scales, as real tabular data has them, and a price with a
 * non-linear part and noise. Unscaled, such data is what makes a network's loss read 7e10.
 *
 *   lot_m2       200 .. 20 000    (the plot of land)
 *   area_m2      40 .. 250        (the living area)
 *   rooms        1 .. 6
 *   year_built   1950 .. 2020
 *   distance_km  0.5 .. 30        (to the city centre)
 *   price        ~ 100 000 .. 1 000 000
 */
import { data, ops, random } from 'purenet'

/** The feature columns, in the order of `x`. */
export const houseFeatures = ['lot_m2', 'area_m2', 'rooms', 'year_built', 'distance_km'] as const

/** `n` houses from `key`: x [n, 5] in the order of `houseFeatures`, y [n, 1] the price. */
export const houses = (key: random.Key, n: number): data.Dataset => {
  const [k1, k2, k3, k4, k5, kn] = random.split(key, 6) as [random.Key, random.Key, random.Key, random.Key, random.Key, random.Key]
  const column = (k: random.Key, min: number, max: number) => random.uniform(k, [n, 1], { min, max })
  const lot = column(k1, 200, 20_000)
  const area = column(k2, 40, 250)
  const rooms = ops.add(random.randint(k3, 6, [n, 1]), 1)
  const year = column(k4, 1950, 2020)
  const distance = column(k5, 0.5, 30)
  // 2 500 a square metre, less with distance; 10 a square metre of land; 8 000 a room; newer is dearer.
  const perSquareMetre = ops.div(2500, ops.add(1, ops.mul(distance, 0.03)))
  const price = ops.add(
    ops.add(ops.add(ops.mul(area, perSquareMetre), ops.mul(lot, 10)), ops.add(ops.mul(rooms, 8000), ops.mul(ops.sub(year, 1950), 1500))),
    ops.add(50_000, random.normal(kn, [n, 1], { std: 20_000 })),
  )
  return data.dataset(ops.concat([lot, area, rooms, year, distance], 1), price)
}
