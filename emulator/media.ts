/**
 * Media the emulator serves itself (like a CDN, no auth): small but valid PNG images and MP4
 * videos, plus a "large" variant of any of them that is streamed chunk by chunk (never buffered).
 *
 * PNG: 8-bit greyscale image of the asset's width × height (compresses to a few KB).
 *      Large variant: private ancillary `hxPd` chunks of zeros inserted before IEND.
 * MP4: ISO BMFF (ftyp, moov, mdat) with one H.264 Baseline track holding a single IDR frame made
 *      of I_PCM macroblocks (no encoder needed), lasting the asset's duration. The coded picture is
 *      tiny; `tkhd` carries the asset's width × height as presentation size.
 *      Large variant: the same file with zero padding after the sample inside `mdat`.
 */
import { Readable } from 'node:stream';
import { deflateSync } from 'node:zlib';

/* ---------------------------------------- CRC-32 ---------------------------------------- */

const CRC_TABLE = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();

/** CRC-32 (PNG/zlib flavour); pass the previous result to continue a running CRC. */
export function crc32(buf: Uint8Array, previous = 0): number {
	let c = (previous ^ 0xffffffff) >>> 0;
	for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

/* ------------------------------------------ PNG ------------------------------------------ */

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
	return Buffer.concat([head, data, crc]);
}

const pngCache = new Map<string, Buffer>();

/** A valid greyscale PNG of the given size (cached). */
export function makePng(width: number, height: number): Buffer {
	const key = `${width}x${height}`;
	const hit = pngCache.get(key);
	if (hit) return hit;
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 0; // colour type: greyscale
	ihdr[10] = 0; // compression
	ihdr[11] = 0; // filter
	ihdr[12] = 0; // interlace
	const row = Buffer.alloc(width + 1);
	for (let x = 0; x < width; x++) row[x + 1] = 64 + Math.floor((128 * x) / Math.max(1, width - 1));
	const raw = Buffer.alloc((width + 1) * height);
	for (let y = 0; y < height; y++) row.copy(raw, y * (width + 1));
	const png = Buffer.concat([
		PNG_SIGNATURE,
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
	if (pngCache.size > 32) pngCache.clear();
	pngCache.set(key, png);
	return png;
}

/* ---------------------------------------- H.264 ------------------------------------------ */

class BitWriter {
	private bytes: number[] = [];
	private cur = 0;
	private n = 0;

	u(bits: number, value: number): this {
		for (let i = bits - 1; i >= 0; i--) this.bit((value >>> i) & 1);
		return this;
	}
	ue(value: number): this {
		const v = value + 1;
		const len = 32 - Math.clz32(v);
		this.u(len - 1, 0);
		return this.u(len, v);
	}
	se(value: number): this {
		return this.ue(value > 0 ? 2 * value - 1 : -2 * value);
	}
	bit(b: number): this {
		this.cur = (this.cur << 1) | b;
		if (++this.n === 8) {
			this.bytes.push(this.cur);
			this.cur = 0;
			this.n = 0;
		}
		return this;
	}
	alignZero(): this {
		while (this.n !== 0) this.bit(0);
		return this;
	}
	byte(v: number): this {
		return this.u(8, v);
	}
	trailing(): Buffer {
		this.bit(1);
		this.alignZero();
		return Buffer.from(this.bytes);
	}
}

/** NAL unit (header byte + RBSP with emulation-prevention bytes). */
function nal(refIdc: number, type: number, rbsp: Buffer): Buffer {
	const out: number[] = [(refIdc << 5) | type];
	let zeros = 0;
	for (const b of rbsp) {
		if (zeros >= 2 && b <= 3) {
			out.push(3);
			zeros = 0;
		}
		out.push(b);
		zeros = b === 0 ? zeros + 1 : 0;
	}
	return Buffer.from(out);
}

const PROFILE_BASELINE = 66;
const LEVEL = 10;

function h264Frame(mbW: number, mbH: number): { sps: Buffer; pps: Buffer; idr: Buffer } {
	const sps = new BitWriter()
		.u(8, PROFILE_BASELINE)
		.u(8, 0xc0) // constraint_set0/1 flags
		.u(8, LEVEL)
		.ue(0) // seq_parameter_set_id
		.ue(0) // log2_max_frame_num_minus4
		.ue(2) // pic_order_cnt_type
		.ue(1) // max_num_ref_frames
		.u(1, 0) // gaps_in_frame_num_value_allowed_flag
		.ue(mbW - 1)
		.ue(mbH - 1)
		.u(1, 1) // frame_mbs_only_flag
		.u(1, 1) // direct_8x8_inference_flag
		.u(1, 0) // frame_cropping_flag
		.u(1, 0) // vui_parameters_present_flag
		.trailing();
	const pps = new BitWriter()
		.ue(0) // pic_parameter_set_id
		.ue(0) // seq_parameter_set_id
		.u(1, 0) // entropy_coding_mode_flag (CAVLC)
		.u(1, 0) // bottom_field_pic_order_in_frame_present_flag
		.ue(0) // num_slice_groups_minus1
		.ue(0) // num_ref_idx_l0_default_active_minus1
		.ue(0) // num_ref_idx_l1_default_active_minus1
		.u(1, 0) // weighted_pred_flag
		.u(2, 0) // weighted_bipred_idc
		.se(0) // pic_init_qp_minus26
		.se(0) // pic_init_qs_minus26
		.se(0) // chroma_qp_index_offset
		.u(1, 1) // deblocking_filter_control_present_flag
		.u(1, 0) // constrained_intra_pred_flag
		.u(1, 0) // redundant_pic_cnt_present_flag
		.trailing();
	const slice = new BitWriter()
		.ue(0) // first_mb_in_slice
		.ue(7) // slice_type: I (all slices of the picture)
		.ue(0) // pic_parameter_set_id
		.u(4, 0) // frame_num
		.ue(0) // idr_pic_id
		.u(1, 0) // no_output_of_prior_pics_flag
		.u(1, 0) // long_term_reference_flag
		.se(0) // slice_qp_delta
		.ue(1); // disable_deblocking_filter_idc
	for (let mb = 0; mb < mbW * mbH; mb++) {
		slice.ue(25).alignZero(); // mb_type I_PCM, pcm_alignment_zero_bits
		for (let i = 0; i < 256; i++) slice.byte(96 + ((i & 15) << 3)); // luma: horizontal ramp
		for (let i = 0; i < 128; i++) slice.byte(128); // chroma: neutral
	}
	return { sps: nal(3, 7, sps), pps: nal(3, 8, pps), idr: nal(3, 5, slice.trailing()) };
}

/* ------------------------------------------ MP4 ------------------------------------------ */

function box(type: string, ...parts: Buffer[]): Buffer {
	const body = Buffer.concat(parts);
	const head = Buffer.alloc(8);
	head.writeUInt32BE(8 + body.length, 0);
	head.write(type, 4, 'latin1');
	return Buffer.concat([head, body]);
}

function fullBox(type: string, version: number, flags: number, ...parts: Buffer[]): Buffer {
	const vf = Buffer.alloc(4);
	vf.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff), 0);
	return box(type, vf, ...parts);
}

function u32(...values: number[]): Buffer {
	const b = Buffer.alloc(4 * values.length);
	values.forEach((v, i) => b.writeUInt32BE(v >>> 0, 4 * i));
	return b;
}

function u16(...values: number[]): Buffer {
	const b = Buffer.alloc(2 * values.length);
	values.forEach((v, i) => b.writeUInt16BE(v & 0xffff, 2 * i));
	return b;
}

const UNITY_MATRIX = u32(0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000);

export interface Mp4Layout {
	/** ftyp + moov + the 8- or 16-byte mdat header. */
	head: Buffer;
	/** The single sample (length-prefixed IDR NAL). */
	sample: Buffer;
	/** Zero bytes that follow the sample inside mdat. */
	padding: number;
	total: number;
}

/**
 * Builds an MP4 layout. `targetBytes` (optional) pads mdat so the file is exactly that large
 * (or as small as possible when the target is smaller than the minimal file).
 */
export function mp4Layout(opts: {
	width: number;
	height: number;
	durationSeconds: number;
	targetBytes?: number;
}): Mp4Layout {
	const { width, height } = opts;
	// Coded picture: a few macroblocks with roughly the asset's aspect ratio.
	const landscape = width >= height;
	const ratio = Math.max(1, Math.min(4, Math.round(landscape ? width / height : height / width)));
	const mbW = landscape ? 2 * ratio : 2;
	const mbH = landscape ? 2 : 2 * ratio;
	const codedW = mbW * 16;
	const codedH = mbH * 16;
	const { sps, pps, idr } = h264Frame(mbW, mbH);
	const sample = Buffer.concat([u32(idr.length), idr]);
	const timescale = 1000;
	const duration = Math.max(1, Math.round(opts.durationSeconds * timescale));

	const ftyp = box(
		'ftyp',
		Buffer.from('isom', 'latin1'),
		u32(0x200),
		Buffer.from('isomiso2avc1mp41', 'latin1'),
	);
	const avcC = box(
		'avcC',
		Buffer.from([1, PROFILE_BASELINE, 0xc0, LEVEL, 0xff, 0xe1]),
		u16(sps.length),
		sps,
		Buffer.from([1]),
		u16(pps.length),
		pps,
	);
	const compressor = Buffer.alloc(32);
	const avc1 = box(
		'avc1',
		Buffer.alloc(6), // reserved
		u16(1), // data_reference_index
		u16(0, 0), // pre_defined, reserved
		u32(0, 0, 0), // pre_defined
		u16(codedW, codedH),
		u32(0x00480000, 0x00480000, 0), // 72 dpi, 72 dpi, reserved
		u16(1), // frame_count
		compressor,
		u16(0x0018, 0xffff), // depth, pre_defined = -1
		avcC,
	);
	const makeMoov = (chunkOffset: number): Buffer =>
		box(
			'moov',
			fullBox(
				'mvhd',
				0,
				0,
				u32(0, 0, timescale, duration, 0x00010000),
				u16(0x0100, 0),
				u32(0, 0),
				UNITY_MATRIX,
				Buffer.alloc(24),
				u32(2), // next_track_ID
			),
			box(
				'trak',
				fullBox(
					'tkhd',
					0,
					3, // enabled | in movie
					u32(0, 0, 1, 0, duration, 0, 0),
					u16(0, 0, 0, 0), // layer, alternate_group, volume, reserved
					UNITY_MATRIX,
					u32(width * 65536, height * 65536),
				),
				box(
					'mdia',
					fullBox('mdhd', 0, 0, u32(0, 0, timescale, duration), u16(0x55c4, 0)), // language 'und'
					fullBox(
						'hdlr',
						0,
						0,
						u32(0),
						Buffer.from('vide', 'latin1'),
						u32(0, 0, 0),
						Buffer.from('VideoHandler\0', 'latin1'),
					),
					box(
						'minf',
						fullBox('vmhd', 0, 1, u16(0, 0, 0, 0)),
						box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1))),
						box(
							'stbl',
							fullBox('stsd', 0, 0, u32(1), avc1),
							fullBox('stts', 0, 0, u32(1, 1, duration)),
							fullBox('stss', 0, 0, u32(1, 1)),
							fullBox('stsc', 0, 0, u32(1, 1, 1, 1)),
							fullBox('stsz', 0, 0, u32(0, 1, sample.length)),
							fullBox('stco', 0, 0, u32(1, chunkOffset)),
						),
					),
				),
			),
		);
	const moovLength = makeMoov(0).length;
	const minimal = ftyp.length + moovLength + 8 + sample.length;
	const target = Math.max(opts.targetBytes ?? minimal, minimal);
	const mdatTotal = target - ftyp.length - moovLength;
	const large = mdatTotal > 0xffffffff; // needs the 64-bit "largesize" form
	const mdatHeader = Buffer.alloc(large ? 16 : 8);
	if (large) {
		mdatHeader.writeUInt32BE(1, 0);
		mdatHeader.write('mdat', 4, 'latin1');
		mdatHeader.writeBigUInt64BE(BigInt(mdatTotal), 8);
	} else {
		mdatHeader.writeUInt32BE(mdatTotal, 0);
		mdatHeader.write('mdat', 4, 'latin1');
	}
	const moov = makeMoov(ftyp.length + moovLength + mdatHeader.length);
	return {
		head: Buffer.concat([ftyp, moov, mdatHeader]),
		sample,
		padding: mdatTotal - mdatHeader.length - sample.length,
		total: target,
	};
}

const mp4Cache = new Map<string, Buffer>();

/** A small valid MP4 (cached). */
export function makeMp4(width: number, height: number, durationSeconds: number): Buffer {
	const key = `${width}x${height}x${durationSeconds}`;
	const hit = mp4Cache.get(key);
	if (hit) return hit;
	const l = mp4Layout({ width, height, durationSeconds });
	const mp4 = Buffer.concat([l.head, l.sample]);
	if (mp4Cache.size > 32) mp4Cache.clear();
	mp4Cache.set(key, mp4);
	return mp4;
}

/* ------------------------------------- large streams ------------------------------------- */

const ZEROS = Buffer.alloc(64 * 1024);
const PAD_CHUNK_DATA = 1024 * 1024;

function* zeros(n: number): Generator<Buffer> {
	let left = n;
	while (left > 0) {
		const k = Math.min(left, ZEROS.length);
		yield k === ZEROS.length ? ZEROS : ZEROS.subarray(0, k);
		left -= k;
	}
}

const zeroCrcCache = new Map<number, number>();
function paddingChunkCrc(dataLength: number): number {
	let c = zeroCrcCache.get(dataLength);
	if (c === undefined) {
		c = crc32(Buffer.from('hxPd', 'latin1'));
		for (const z of zeros(dataLength)) c = crc32(z, c);
		zeroCrcCache.set(dataLength, c);
	}
	return c;
}

/** Data lengths of the padding chunks that add exactly `bytes` (≥ 12) to a PNG. */
function paddingChunkSizes(bytes: number): number[] {
	const n = Math.max(1, Math.ceil(bytes / (12 + PAD_CHUNK_DATA)));
	const data = bytes - 12 * n;
	const q = Math.floor(data / n);
	const r = data % n;
	return Array.from({ length: n }, (_, i) => q + (i < r ? 1 : 0));
}

/** A PNG padded to `targetBytes` (at least the size of the small PNG), as a lazy stream. */
export function largePng(
	width: number,
	height: number,
	targetBytes: number,
): { stream: Readable; length: number } {
	const base = makePng(width, height);
	let pad = targetBytes - base.length;
	if (pad <= 0) return { stream: Readable.from([base]), length: base.length };
	if (pad < 12) pad = 12;
	const sizes = paddingChunkSizes(pad);
	function* gen(): Generator<Buffer> {
		yield base.subarray(0, base.length - 12); // everything before IEND
		for (const size of sizes) {
			const head = Buffer.alloc(8);
			head.writeUInt32BE(size, 0);
			head.write('hxPd', 4, 'latin1');
			yield head;
			yield* zeros(size);
			yield u32(paddingChunkCrc(size));
		}
		yield base.subarray(base.length - 12); // IEND
	}
	return { stream: Readable.from(gen(), { objectMode: false }), length: base.length + pad };
}

/** An MP4 padded to `targetBytes`, as a lazy stream. */
export function largeMp4(
	width: number,
	height: number,
	durationSeconds: number,
	targetBytes: number,
): { stream: Readable; length: number } {
	const l = mp4Layout({ width, height, durationSeconds, targetBytes });
	function* gen(): Generator<Buffer> {
		yield l.head;
		yield l.sample;
		yield* zeros(l.padding);
	}
	return { stream: Readable.from(gen(), { objectMode: false }), length: l.total };
}
