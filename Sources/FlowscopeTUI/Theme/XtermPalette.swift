/// The xterm 256-colour palette and how colours degrade to what a terminal can show.
///
/// Indexes 0–15 use xterm's default RGB values (a terminal's own palette may differ), 16–231 the
/// 6×6×6 cube, 232–255 the grey ramp. At 256 colours an RGB colour goes to the nearest of 16–255
/// by the "redmean" distance (a cheap approximation of perceived difference). The ANSI colours are
/// too few and too terminal-specific for distances (mid grey would come out cyan), so at 16 and 8
/// colours a colour goes by hue and lightness instead: greys (chroma below 40) to black, bright
/// black, white or bright white by lightness (black or white at 8); other colours to the nearest
/// of the six hues, the bright variant (at 16) when the colour is light (max channel ≥ 230 or HSL
/// lightness ≥ 0.7).
enum XtermPalette {
  typealias RGB = (red: Int, green: Int, blue: Int)

  static let ansi: [RGB] = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
    (255, 255, 255),
  ]

  static let cubeLevels = [0, 95, 135, 175, 215, 255]

  /// The RGB value of a palette index.
  static func rgb(_ index: Int) -> RGB {
    switch index {
    case ..<16: return ansi[max(index, 0)]
    case 16..<232:
      let n = index - 16
      return (cubeLevels[n / 36], cubeLevels[n / 6 % 6], cubeLevels[n % 6])
    default:
      let level = 8 + 10 * (min(index, 255) - 232)
      return (level, level, level)
    }
  }

  /// The perceptual distance between two colours (squared, weighted).
  static func distance(_ a: RGB, _ b: RGB) -> Int {
    let meanRed = (a.red + b.red) / 2
    let dr = a.red - b.red
    let dg = a.green - b.green
    let db = a.blue - b.blue
    return (((512 + meanRed) * dr * dr) >> 8) + 4 * dg * dg + (((767 - meanRed) * db * db) >> 8)
  }

  /// The index in `candidates` whose colour is nearest `color` (the lowest index on a tie).
  static func nearest(_ color: RGB, in candidates: Range<Int>) -> Int {
    var best = candidates.lowerBound
    var bestDistance = Int.max
    for index in candidates {
      let d = distance(color, rgb(index))
      if d < bestDistance {
        best = index
        bestDistance = d
      }
    }
    return best
  }

  /// A theme colour as a palette index a terminal of `depth` can show (-1 = the terminal's default).
  /// RGB goes to the nearest of 16–255 (the cube and greys, whose values terminals agree on) at 256
  /// colours; anything goes to the nearest ANSI colour at 16 and 8.
  static func index(of color: ThemeColor, depth: ColorDepth) -> Int16 {
    let rgbValue: RGB
    switch color {
    case .terminalDefault: return -1
    case .palette(let index):
      if Int(index) < depth.rawValue { return Int16(index) }
      rgbValue = rgb(Int(index))
    case .rgb(let r, let g, let b):
      rgbValue = (Int(r), Int(g), Int(b))
    }
    switch depth {
    case .none: return -1
    case .eight: return Int16(ansi(rgbValue, bright: false))
    case .sixteen: return Int16(ansi(rgbValue, bright: true))
    case .twoFiftySix: return Int16(nearest(rgbValue, in: 16..<256))
    }
  }

  /// The ANSI colour (0–7, or 0–15 with `bright`) for an RGB colour, by hue and lightness.
  static func ansi(_ color: RGB, bright: Bool) -> Int {
    let high = max(color.red, color.green, color.blue)
    let low = min(color.red, color.green, color.blue)
    let lightness = (high + low) / 2
    if high - low < 40 {
      guard bright else { return lightness < 64 ? 0 : 7 }
      switch lightness {
      case ..<64: return 0
      case ..<178: return 8
      case ..<242: return 7
      default: return 15
      }
    }
    let chroma = Double(high - low)
    let r = Double(color.red)
    let g = Double(color.green)
    let b = Double(color.blue)
    var hue: Double
    if high == color.red {
      hue = 60 * ((g - b) / chroma)
    } else if high == color.green {
      hue = 60 * (2 + (b - r) / chroma)
    } else {
      hue = 60 * (4 + (r - g) / chroma)
    }
    if hue < 0 { hue += 360 }
    // Sectors of 60° centred on red, yellow, green, cyan, blue, magenta.
    let base = [1, 3, 2, 6, 4, 5][Int((hue + 30) / 60) % 6]
    let isLight = high >= 230 || lightness * 10 >= 255 * 7
    return bright && isLight ? base + 8 : base
  }
}
