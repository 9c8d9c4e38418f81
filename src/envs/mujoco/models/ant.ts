/**
 * MJCF of the quadruped ant (Gymnasium's `ant.xml` for Ant-v5): a 0.25 m sphere torso on a free joint at
 * 0.75 m, four legs of hip (±30°) and ankle hinges with capsule segments, geom density 5, eight motors
 * (gear 150, control ±1), RK4 at 10 ms. Same bodies (order included: cfrc_ext rows follow it), joints,
 * geoms, defaults and options; visuals and the unused `init_qpos` custom numeric omitted.
 */
interface Leg {
  name: string;
  aux: string;
  /** Direction of the leg in the xy plane (±1, ±1). */
  dx: number;
  dy: number;
  auxGeom: string;
  legGeom: string;
  ankleGeom: string;
  ankleAxis: string;
  ankleRange: string;
}

const legXml = (l: Leg, i: number) => `
      <body name="${l.name}" pos="0 0 0">
        <geom name="${l.auxGeom}" type="capsule" size="0.08" fromto="0 0 0 ${0.2 * l.dx} ${0.2 * l.dy} 0"/>
        <body name="${l.aux}" pos="${0.2 * l.dx} ${0.2 * l.dy} 0">
          <joint name="hip_${i}" type="hinge" axis="0 0 1" pos="0 0 0" range="-30 30"/>
          <geom name="${l.legGeom}" type="capsule" size="0.08" fromto="0 0 0 ${0.2 * l.dx} ${0.2 * l.dy} 0"/>
          <body pos="${0.2 * l.dx} ${0.2 * l.dy} 0">
            <joint name="ankle_${i}" type="hinge" axis="${l.ankleAxis}" pos="0 0 0" range="${l.ankleRange}"/>
            <geom name="${l.ankleGeom}" type="capsule" size="0.08" fromto="0 0 0 ${0.4 * l.dx} ${0.4 * l.dy} 0"/>
          </body>
        </body>
      </body>`;

const LEGS: Leg[] = [
  { name: 'front_left_leg', aux: 'aux_1', dx: 1, dy: 1, auxGeom: 'aux_1_geom', legGeom: 'left_leg_geom', ankleGeom: 'left_ankle_geom', ankleAxis: '-1 1 0', ankleRange: '30 70' },
  { name: 'front_right_leg', aux: 'aux_2', dx: -1, dy: 1, auxGeom: 'aux_2_geom', legGeom: 'right_leg_geom', ankleGeom: 'right_ankle_geom', ankleAxis: '1 1 0', ankleRange: '-70 -30' },
  { name: 'back_leg', aux: 'aux_3', dx: -1, dy: -1, auxGeom: 'aux_3_geom', legGeom: 'back_leg_geom', ankleGeom: 'third_ankle_geom', ankleAxis: '-1 1 0', ankleRange: '-70 -30' },
  { name: 'right_back_leg', aux: 'aux_4', dx: 1, dy: -1, auxGeom: 'aux_4_geom', legGeom: 'rightback_leg_geom', ankleGeom: 'fourth_ankle_geom', ankleAxis: '1 1 0', ankleRange: '30 70' },
];

// Actuator order as in Gymnasium: leg 4, then legs 1, 2, 3 (hip before ankle).
const MOTORS = [4, 1, 2, 3]
  .map((i) => `
    <motor name="hip_${i}" joint="hip_${i}" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
    <motor name="ankle_${i}" joint="ankle_${i}" gear="150" ctrllimited="true" ctrlrange="-1 1"/>`)
  .join('');

export const ANT_MJCF = `
<mujoco model="ant">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.01" integrator="RK4"/>
  <default>
    <joint limited="true" armature="1" damping="1"/>
    <geom conaffinity="0" condim="3" density="5.0" friction="1 0.5 0.5" margin="0.01"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" size="40 40 40" pos="0 0 0" conaffinity="1" condim="3"/>
    <body name="torso" pos="0 0 0.75">
      <geom name="torso_geom" type="sphere" size="0.25" pos="0 0 0"/>
      <joint name="root" type="free" pos="0 0 0" limited="false" armature="0" damping="0" margin="0.01"/>${LEGS.map((l, k) => legXml(l, k + 1)).join('')}
    </body>
  </worldbody>
  <actuator>${MOTORS}
  </actuator>
</mujoco>
`;
